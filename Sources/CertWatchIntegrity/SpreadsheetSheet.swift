import CertWatchCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Streams one worksheet into rows of cells for `SpreadsheetTable`: shared, inline and formula
/// strings and numbers as the file stores them, the address of a `HYPERLINK("url", …)` formula,
/// and the `<hyperlink>` elements, which follow the rows and are resolved by the caller.
/// Cells past `SpreadsheetTable.maxColumns` are ignored; rows past the workbook's limit refuse it.
final class SpreadsheetSheet: NSObject, XMLParserDelegate {
    /// A `<hyperlink ref="A5" r:id="rId1">`: the cells and the relationship naming the address.
    struct Hyperlink {
        var reference: String
        var relationship: String
    }

    /// Excel's own limit of hyperlinks per sheet: more can only be forged, and are not kept.
    static let maxHyperlinks = 65_530

    private let shared: [String]
    /// The rows the workbook's limit leaves for this sheet.
    private let maxRows: Int
    private(set) var rows: [TableRow] = []
    private(set) var hyperlinks: [Hyperlink] = []
    private var tooLong: SpreadsheetTable.Failure?

    private var line = 0
    private var cells: [Int: TableRow.Cell] = [:]
    private var column = -1
    private var type = "n"
    private var value = ""
    private var formula = ""
    private enum Reading { case value, formula }
    private var reading: Reading?
    /// Inside `<rPh>`: the phonetic reading of East Asian text, not the cell's text.
    private var phonetic = false

    init(shared: [String], maxRows: Int) {
        self.shared = shared
        self.maxRows = maxRows
    }

    func read(_ url: URL) throws -> SpreadsheetSheet {
        do { try XMLSafety.checkFile(url) } catch { throw SpreadsheetTable.Failure(description: "a worksheet: \(error)") }
        guard let stream = InputStream(url: url) else { throw SpreadsheetTable.Failure(description: "cannot read a worksheet") }
        let parser = XMLParser(stream: stream)
        parser.delegate = self
        let parsed = parser.parse()
        if let tooLong { throw tooLong }
        guard parsed else { throw SpreadsheetTable.Failure(description: "a worksheet is malformed at line \(parser.lineNumber)") }
        return self
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            // Rows are numbered as the sheet numbers them, always upwards, so a missing or
            // out-of-order `r` cannot make two rows one line.
            let stated = attributes["r"].flatMap { Int($0) }.flatMap { (1...CellReference.maxRow).contains($0) ? $0 : nil }
            line = stated.map { max($0, line + 1) } ?? line + 1
            cells = [:]
            column = -1
        case "c":
            let stated = CellReference.column(attributes["r"] ?? "")
            column = stated >= 0 ? stated : column + 1
            type = attributes["t"] ?? "n"
            value = ""
            formula = ""
        case "v", "t": if !phonetic { reading = .value }
        case "f": reading = .formula
        case "rPh": phonetic = true
        case "hyperlink":
            guard let reference = attributes["ref"],
                  let relationship = attributes["r:id"] ?? attributes.first(where: { $0.key.hasSuffix(":id") })?.value,
                  hyperlinks.count < Self.maxHyperlinks else { return }
            hyperlinks.append(Hyperlink(reference: reference, relationship: relationship))
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch reading {
        case .value: value += string
        case .formula: formula += string
        case nil: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t", "f": reading = nil
        case "rPh": phonetic = false
        case "c": finishCell()
        case "row":
            guard !cells.isEmpty else { return }
            guard rows.count < maxRows else {
                tooLong = SpreadsheetTable.Failure(description: "the workbook has more than \(SpreadsheetTable.maxRows) rows")
                return parser.abortParsing()
            }
            rows.append(TableRow(line: line, cells: cells))
        default: break
        }
    }

    private func finishCell() {
        guard (0..<SpreadsheetTable.maxColumns).contains(column) else { return }
        let text = type == "s" ? Int(value).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? "" : value
        let link = SpreadsheetTable.hyperlinkFormulaTarget(formula)
        if !text.isEmpty || link != nil { cells[column] = TableRow.Cell(text: text, link: link) }
    }
}
