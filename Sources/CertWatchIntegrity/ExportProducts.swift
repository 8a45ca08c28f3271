import CertWatchCore

/// The certified products of an `INTEGRITY_Export` workbook row, which has no items sheet: each
/// scope's products sit in one cell (`CR_CertifiedProducts`, `LS_…`, `WC_…`, `Han_…`, and more
/// in `…_Add`), written as `Category: item, item` lines (public readers show
/// `Field/Forageable: Corn, Wheat`). They become `ci_…` item rows, so the operation reads as
/// the INTEGRITY_Data workbook and the bulk download would give it.
enum ExportProducts {
    static let scopes: [(prefix: String, scope: String)] = [("CR", "CROPS"), ("LS", "LIVESTOCK"), ("WC", "WILD CROPS"), ("Han", "HANDLING")]

    /// Every product column an Export workbook may have.
    static let columns: [String] = scopes.flatMap { ["\($0.prefix)_CertifiedProducts", "\($0.prefix)_CertifiedProducts_Add"] }

    /// The item rows of one operation row. Each line (or `;`-separated part) starting `Category:`
    /// opens that category; parts after it without one continue it.
    static func items(_ fields: [String: String], id: NOPOperationID) -> [[String: String]] {
        var rows: [[String: String]] = []
        for (prefix, scope) in scopes {
            for column in ["\(prefix)_CertifiedProducts", "\(prefix)_CertifiedProducts_Add"] {
                guard let text = fields.field(column) else { continue }
                var category: String?
                for part in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == ";" }) {
                    var list = String(part).trimmingWhitespace()
                    if let colon = list.firstIndex(of: ":") {
                        category = String(list[..<colon]).trimmingWhitespace()
                        list = String(list[list.index(after: colon)...]).trimmingWhitespace()
                    }
                    guard !list.isEmpty else { continue }
                    var row = ["ci_nopOpID": id.rawValue, "ci_nopScope": scope, "ci_itemList": list]
                    if let category, !category.isEmpty { row["ci_nopCatName"] = category }
                    rows.append(row)
                }
            }
        }
        return rows
    }
}
