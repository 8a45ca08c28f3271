import CertWatchCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Streams one worksheet, finds its header row by content and returns the wanted records, with
/// counts over every record (wanted or not) that tell whether the sheet can be trusted.
final class SheetReader: NSObject, XMLParserDelegate {
    enum Kind { case operations, items }

    /// Export workbooks name some columns otherwise than the data dictionary.
    static let aliases = ["Cert_name": "op_certifierName"]

    private let shared: [String]
    private let wanted: Set<NOPOperationID>
    private(set) var kind: Kind?
    private(set) var header: [String] = []
    private var columns: [Int: String] = [:]
    private(set) var rows: [[String: String]] = []
    private(set) var directory: [IntegrityDirectoryEntry] = []
    /// Every record with a NOP ID, wanted or not.
    private(set) var recordCount = 0
    private(set) var census = StatusCensus()
    /// Operation records holding at least one Certified scope: they should list products.
    private(set) var certifiedScopeCount = 0
    /// An Export sheet: products in `…_CertifiedProducts` cells, read into item rows.
    private(set) var hasProductColumns = false
    private(set) var productItems: [NOPOperationID: [[String: String]]] = [:]
    private(set) var productItemCount = 0
    private var row: [Int: String] = [:]
    private var cellColumn = 0
    private var cellType = ""
    private var value = ""
    private var inValue = false

    init(shared: [String], wanted: Set<NOPOperationID>) {
        self.shared = shared
        self.wanted = wanted
    }

    func read(_ url: URL) throws -> SheetReader {
        do { try XMLSafety.checkFile(url) } catch { throw WorkbookReader.Failure(message: "a worksheet: \(error)") }
        guard let stream = InputStream(url: url) else { throw WorkbookReader.Failure(message: "cannot read a worksheet") }
        let parser = XMLParser(stream: stream)
        parser.delegate = self
        guard parser.parse() else { throw WorkbookReader.Failure(message: "a worksheet is malformed at line \(parser.lineNumber)") }
        return self
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row": row = [:]
        case "c":
            cellColumn = CellReference.column(attributes["r"] ?? "")
            cellType = attributes["t"] ?? "n"
            value = ""
        case "v", "t": inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": inValue = false
        case "c":
            let text = cellType == "s" ? Int(value).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? "" : value
            if !text.isEmpty { row[cellColumn] = text }
        case "row": finishRow()
        default: break
        }
    }

    private func finishRow() {
        guard kind != nil else {
            if row.values.contains("op_nopOpID") { kind = .operations } else if row.values.contains("ci_nopOpID") { kind = .items } else { return }
            let names = Set(row.values)
            columns = row.mapValues { name in Self.aliases[name].flatMap { names.contains($0) ? nil : $0 } ?? name }
            header = columns.sorted { $0.key < $1.key }.map(\.value)
            hasProductColumns = kind == .operations && ExportProducts.columns.contains { names.contains($0) }
            return
        }
        var fields: [String: String] = [:]
        for (index, name) in columns {
            guard var text = row[index] else { continue }
            if (name.hasSuffix("Date") || name.hasSuffix("_ED")), let serial = Double(text), let day = CalendarDate(excelSerial: serial) {
                text = day.description
            }
            fields[name] = text
        }
        let idField = kind == .operations ? "op_nopOpID" : "ci_nopOpID"
        guard let id = fields[idField].flatMap(NOPOperationID.init) else { return }  // label and description rows
        recordCount += 1
        if kind == .operations {
            if let entry = IntegrityDirectoryEntry(fields: fields) { directory.append(entry) }
            census.count(fields)
            if Scope.allCases.contains(where: { fields.field($0.integrityField).flatMap(CertificationStatus.init(codeOrText:)) == .certified }) {
                certifiedScopeCount += 1
            }
            if hasProductColumns {
                let items = ExportProducts.items(fields, id: id)
                productItemCount += items.count
                if wanted.contains(id), !items.isEmpty { productItems[id] = items }
            }
        }
        if wanted.contains(id) { rows.append(fields) }
    }
}
