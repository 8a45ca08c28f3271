import SQLKit

/// Many rows for one statement as a single bound JSON array of arrays of text, read back in SQL
/// as `t.value ->> N` (`json_each` on SQLite; `jsonb_array_elements` on PostgreSQL, which parses
/// the text once, where `json` would parse each row again for every `->>`).
///
/// Binding every value of every row costs SQLKit and the drivers more than the database spends
/// writing them; the hot writers (verification evidence, the audit log) bind one text instead.
struct JSONRows {
    private var text = "["
    private var isEmpty = true

    mutating func append(_ values: [String?]) {
        text += isEmpty ? "[" : ",["
        isEmpty = false
        text += values.map { $0.map(JSONText.quoted) ?? "null" }.joined(separator: ",")
        text += "]"
    }

    /// The rows as an SQL row source aliased `t`.
    func source(_ dialect: Database.Dialect) -> SQLQueryString {
        let json = text + "]"
        return dialect == .postgres ? "jsonb_array_elements(\(bind: json)::jsonb) AS t(value)" : "json_each(\(bind: json)) AS t"
    }
}
