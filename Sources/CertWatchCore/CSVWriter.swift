/// Writes RFC 4180 CSV: a field is quoted when it holds a comma, quote or line break, so the
/// files open unchanged in a spreadsheet and read back with `CSVReader`.
///
/// A field a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`: supplier names come from import files and INTEGRITY, and
/// a compliance manager opens these files in a spreadsheet.
public struct CSVWriter: Sendable {
    public private(set) var text = ""

    public init(header: [String]) {
        append(header)
    }

    /// Appends one record; nil is an empty field.
    public mutating func append(_ fields: [String?]) {
        text += fields.map { Self.field($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    static func field(_ raw: String) -> String {
        let value = raw.first.map { "=+-@\t\r".contains($0) } == true ? "'" + raw : raw
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
