import CertWatchCore
import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads INTEGRITY's monthly workbooks. `INTEGRITY_Data_YYYYMM01.xlsx` has an operations sheet
/// and an items sheet with the bulk download's `op_`/`ci_` column names; `INTEGRITY_Export_YYYYMM01.xlsx`
/// has one sheet whose header row starts with `Cert_name` and whose products sit in one cell per
/// scope (`ExportProducts`). Header rows vary (a title, technical names, labels, descriptions), so
/// each sheet's header row is found by content: the row holding `op_nopOpID` or `ci_nopOpID`.
/// Rows before the first real NOP ID are labels.
///
/// A workbook that yields no certified products while its operations hold certified scopes is
/// refused: applied, it would make every product check answer "no items known" and record
/// every stored item as removed.
///
/// Sheets are streamed from a temporary file; shared strings are held in memory.
struct WorkbookReader {
    struct Failure: Error { var message: String }

    struct Result {
        var operations: [NOPOperationID: Swift.Result<IntegrityOperation, IntegrityFormatError>]
        var directory: [IntegrityDirectoryEntry]
        var census: StatusCensus
    }

    let wanted: Set<NOPOperationID>
    var limits = ZipLimits.standard

    func read(_ file: URL) throws -> Result {
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .read) } catch {
            throw Failure(message: "not a readable xlsx (zip) file: \(error)")
        }
        let shared = try archive["xl/sharedStrings.xml"].map { try SharedStrings.read(archive, $0, limits: limits) } ?? []
        var operationSheet: SheetReader?
        var itemSheet: SheetReader?
        for entry in archive where entry.path.hasPrefix("xl/worksheets/") && entry.path.hasSuffix(".xml") {
            let temporary = try limits.extract(entry, from: archive, prefix: "certwatch-sheet")
            defer { try? FileManager.default.removeItem(at: temporary) }
            let sheet = try SheetReader(shared: shared, wanted: wanted).read(temporary)
            switch sheet.kind {
            case .operations:
                if let missing = IntegrityRecord.requiredOperationFields.first(where: { !sheet.header.contains($0) }) {
                    throw Failure(message: "the operations sheet has no \(missing) column: the workbook's format has changed")
                }
                operationSheet = sheet
            case .items:
                if let missing = IntegrityRecord.requiredItemFields.first(where: { !sheet.header.contains($0) }) {
                    throw Failure(message: "the items sheet has no \(missing) column: the workbook's format has changed")
                }
                itemSheet = sheet
            case .none: continue
            }
        }
        guard let operationSheet else { throw Failure(message: "no sheet has an op_nopOpID header: not an INTEGRITY_Data or INTEGRITY_Export workbook") }
        try Self.checkProducts(operations: operationSheet, items: itemSheet)
        var items = operationSheet.productItems
        for row in itemSheet?.rows ?? [] {
            if let id = row["ci_nopOpID"].flatMap(NOPOperationID.init) { items[id, default: []].append(row) }
        }
        var operations: [NOPOperationID: Swift.Result<IntegrityOperation, IntegrityFormatError>] = [:]
        for row in operationSheet.rows {
            guard let id = row["op_nopOpID"].flatMap(NOPOperationID.init) else { continue }
            do { operations[id] = .success(try IntegrityRecord.operation(row, items: items[id] ?? [])) } catch {
                operations[id] = .failure(error)
            }
        }
        return Result(operations: operations, directory: operationSheet.directory, census: operationSheet.census)
    }

    /// Refuses a workbook with no place products could come from, or none found where they should be.
    static func checkProducts(operations: SheetReader, items: SheetReader?) throws(Failure) {
        guard items != nil || operations.hasProductColumns else {
            throw Failure(message: "the workbook has neither an items sheet (ci_nopOpID) nor product columns (\(ExportProducts.columns[0]) …): its certified products cannot be read")
        }
        let found = (items?.recordCount ?? 0) + operations.productItemCount
        if found == 0, operations.certifiedScopeCount > 0 {
            throw Failure(message: "the workbook lists \(operations.certifiedScopeCount) operations holding a certified scope but no certified products: refused rather than recorded as having none")
        }
    }
}

/// The workbook's shared string table (`xl/sharedStrings.xml`): cells of type `s` index it.
enum SharedStrings {
    /// Held in memory while parsed (`ZipLimits.data`).
    static func read(_ archive: Archive, _ entry: Entry, limits: ZipLimits) throws -> [String] {
        let data = try limits.data(entry, from: archive)
        let delegate = Delegate()
        do { try XMLSafety.check(data) } catch { throw WorkbookReader.Failure(message: "xl/sharedStrings.xml: \(error)") }
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
