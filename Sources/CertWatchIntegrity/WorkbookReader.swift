import CertWatchCore
import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads INTEGRITY's monthly `INTEGRITY_Data_YYYYMM01.xlsx`: an operations sheet and an items
/// sheet with the same `op_`/`ci_` column names as the web service. Header rows vary (a title,
/// technical names, labels, descriptions), so each sheet's header row is found by content: the
/// row holding `op_nopOpID` or `ci_nopOpID`. Rows before the first real NOP ID are labels.
///
/// Sheets are streamed from a temporary file; shared strings are held in memory.
struct WorkbookReader {
    struct Failure: Error { var message: String }

    struct Result {
        var operations: [NOPOperationID: Swift.Result<IntegrityOperation, IntegrityFormatError>]
        var directory: [IntegrityDirectoryEntry]
    }

    let wanted: Set<NOPOperationID>

    func read(_ file: URL) throws -> Result {
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .read) } catch {
            throw Failure(message: "not a readable xlsx (zip) file: \(error)")
        }
        let shared = try archive["xl/sharedStrings.xml"].map { try SharedStrings.read(archive, $0) } ?? []
        var operationRows: [[String: String]]?
        var itemRows: [[String: String]]?
        var directory: [IntegrityDirectoryEntry] = []
        for entry in archive where entry.path.hasPrefix("xl/worksheets/") && entry.path.hasSuffix(".xml") {
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-sheet-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: temporary) }
            _ = try archive.extract(entry, to: temporary)
            let sheet = try SheetReader(shared: shared, wanted: wanted).read(temporary)
            switch sheet.kind {
            case .operations: operationRows = sheet.rows
            case .items: itemRows = sheet.rows
            case .none: continue
            }
            if sheet.kind == .operations, let missing = IntegrityRecord.requiredOperationFields.first(where: { !sheet.header.contains($0) }) {
                throw Failure(message: "the operations sheet has no \(missing) column: the workbook's format has changed")
            }
            if sheet.kind == .items, let missing = IntegrityRecord.requiredItemFields.first(where: { !sheet.header.contains($0) }) {
                throw Failure(message: "the items sheet has no \(missing) column: the workbook's format has changed")
            }
            if sheet.kind == .operations { directory = sheet.directory }
        }
        guard let operationRows else { throw Failure(message: "no sheet has an op_nopOpID header: not an INTEGRITY_Data workbook") }
        var items: [NOPOperationID: [[String: String]]] = [:]
        for row in itemRows ?? [] {
            if let id = row["ci_nopOpID"].flatMap(NOPOperationID.init) { items[id, default: []].append(row) }
        }
        var operations: [NOPOperationID: Swift.Result<IntegrityOperation, IntegrityFormatError>] = [:]
        for row in operationRows {
            guard let id = row["op_nopOpID"].flatMap(NOPOperationID.init) else { continue }
            do { operations[id] = .success(try IntegrityRecord.operation(row, items: items[id] ?? [])) } catch {
                operations[id] = .failure(error)
            }
        }
        return Result(operations: operations, directory: directory)
    }
}

/// The workbook's shared string table (`xl/sharedStrings.xml`): cells of type `s` index it.
enum SharedStrings {
    static func read(_ archive: Archive, _ entry: Entry) throws -> [String] {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else { throw WorkbookReader.Failure(message: "xl/sharedStrings.xml is malformed") }
        return delegate.strings
    }

    final class Delegate: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = ""
        var inText = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "si" { current = "" }
            if name == "t" { inText = true }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "t" { inText = false }
            if name == "si" { strings.append(current) }
        }
    }
}

/// Streams one worksheet, finds its header row by content and returns the wanted records.
final class SheetReader: NSObject, XMLParserDelegate {
    enum Kind { case operations, items }

    private let shared: [String]
    private let wanted: Set<NOPOperationID>
    private(set) var kind: Kind?
    private(set) var header: [String] = []
    private var columns: [Int: String] = [:]
    private(set) var rows: [[String: String]] = []
    private(set) var directory: [IntegrityDirectoryEntry] = []
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
            cellColumn = Self.columnIndex(attributes["r"] ?? "")
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
            columns = row
            header = row.sorted { $0.key < $1.key }.map(\.value)
            return
        }
        var fields: [String: String] = [:]
        for (index, name) in columns {
            guard var text = row[index] else { continue }
            if (name.hasSuffix("Date") || name.hasSuffix("_ED")), let serial = Double(text), let day = Self.excelDay(serial) {
                text = day.description
            }
            fields[name] = text
        }
        let idField = kind == .operations ? "op_nopOpID" : "ci_nopOpID"
        guard let id = fields[idField].flatMap(NOPOperationID.init) else { return }  // label and description rows
        if kind == .operations, let entry = IntegrityDirectoryEntry(fields: fields) { directory.append(entry) }
        if wanted.contains(id) { rows.append(fields) }
    }

    /// `B12` → 1 (zero-based column of a cell reference).
    static func columnIndex(_ reference: String) -> Int {
        reference.prefix { $0.isLetter }.uppercased().unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
    }

    /// Excel's 1900 date system: day 25569 is 1970-01-01 (the leap-year bug cancels after 1900-03-01).
    static func excelDay(_ serial: Double) -> CalendarDate? {
        guard serial >= 61, serial < 2_958_466 else { return nil }
        return CalendarDate(daysSinceEpoch: Int(serial.rounded(.down)) - 25_569)
    }
}
