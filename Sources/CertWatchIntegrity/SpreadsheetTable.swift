import CertWatchCore
import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads every worksheet of an xlsx file as rows of cells, each with its text and the web address
/// it links to: for tables laid out by people (NOP's fraud list, `FraudNoticeTable`), where the
/// header is found by content and a name may carry the link to its notice. `SheetReader` is
/// INTEGRITY's and keys its rows by NOP ID; this one keeps every row.
///
/// Links come from `<hyperlink ref r:id>` elements, resolved through the sheet's relationships
/// (external http(s) addresses only), and from `HYPERLINK("url", …)` formulas. The elements
/// follow the rows, so rows are held in memory: at most 100,000 in all sheets, of 200 columns. Archives are
/// inflated within `ZipLimits`, as the INTEGRITY workbook is. Date cells stay Excel's serial days
/// in the 1900 system (`CalendarDate(excelSerial:)`); a workbook counting from 1904 is refused.
public enum SpreadsheetTable {
    public static let maxRows = 100_000
    public static let maxColumns = 200
    /// How many cells hyperlink ranges may be matched against in all sheets, so a hostile
    /// `A1:XFD1048576` repeated costs bounded time.
    static let maxLinkedCells = 1_000_000

    /// The file cannot be read as a workbook, or is past a limit.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Each worksheet's rows that hold something, sheets in their files' order (`sheet1.xml`,
    /// `sheet2.xml`, …, the order Excel saves them in).
    public static func read(_ file: URL, limits: ZipLimits) throws(Failure) -> [[TableRow]] {
        do {
            return try sheets(file, limits: limits)
        } catch let failure as Failure {
            throw failure
        } catch let failure as WorkbookReader.Failure {
            throw Failure(description: failure.message)
        } catch let refused as ZipLimits.Refused {
            throw Failure(description: "the workbook is refused: \(refused.description)")
        } catch {
            throw Failure(description: "the workbook cannot be read: \(error)")
        }
    }

    private static func sheets(_ file: URL, limits: ZipLimits) throws -> [[TableRow]] {
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .read) } catch {
            throw Failure(description: "not a readable xlsx (zip) file: \(error)")
        }
        if let workbook = archive["xl/workbook.xml"], try parsed(archive, workbook, limits: limits, into: WorkbookProperties()).date1904 {
            throw Failure(description: """
                the workbook counts dates from 1904 (an old Excel for Mac setting): refused rather than have \
                every date read four years early
                """)
        }
        let shared = try archive["xl/sharedStrings.xml"].map { try SharedStrings.read(archive, $0, limits: limits) } ?? []
        let entries = archive.filter { $0.path.hasPrefix("xl/worksheets/") && $0.path.hasSuffix(".xml") }
            .sorted { (sheetNumber($0.path), $0.path) < (sheetNumber($1.path), $1.path) }
        var rowsLeft = maxRows
        var linksLeft = maxLinkedCells
        return try entries.map { entry in
            let temporary = try limits.extract(entry, from: archive, prefix: "certwatch-table")
            defer { try? FileManager.default.removeItem(at: temporary) }
            let sheet = try SpreadsheetSheet(shared: shared, maxRows: rowsLeft).read(temporary)
            rowsLeft -= sheet.rows.count
            let name = String(entry.path.dropFirst("xl/worksheets/".count))
            let targets = try archive["xl/worksheets/_rels/\(name).rels"].map {
                try parsed(archive, $0, limits: limits, into: Relationships()).webTargets
            } ?? [:]
            return try linking(sheet.rows, sheet.hyperlinks, targets: targets, budget: &linksLeft)
        }
    }

    /// `xl/worksheets/sheet12.xml` → 12; files otherwise named sort last.
    private static func sheetNumber(_ path: String) -> Int {
        Int(path.dropFirst("xl/worksheets/sheet".count).dropLast(".xml".count)) ?? Int.max
    }

    /// Gives each cell a hyperlink covers that link, unless it has one of its own (a formula's).
    /// `budget`: the cells ranges may still be matched against.
    static func linking(_ rows: [TableRow], _ hyperlinks: [SpreadsheetSheet.Hyperlink], targets: [String: String],
                        budget: inout Int) throws(Failure) -> [TableRow] {
        var rows = rows
        for hyperlink in hyperlinks {
            guard let target = targets[hyperlink.relationship], let range = CellReference.range(hyperlink.reference),
                  range.columns.lowerBound < maxColumns else { continue }
            let columns = range.columns.lowerBound...min(range.columns.upperBound, maxColumns - 1)
            // Rows are in ascending line order (`SpreadsheetSheet`): start at the range's first.
            var index = firstIndex(in: rows, atOrAfter: range.rows.lowerBound)
            while index < rows.count, rows[index].line <= range.rows.upperBound {
                budget -= columns.count
                guard budget >= 0 else { throw Failure(description: "the workbook's hyperlinks cover more than \(maxLinkedCells) cells") }
                for column in columns where rows[index].cells[column]?.link == nil {
                    rows[index].cells[column]?.link = target
                }
                index += 1
            }
        }
        return rows
    }

    private static func firstIndex(in rows: [TableRow], atOrAfter line: Int) -> Int {
        var low = 0, high = rows.count
        while low < high {
            let middle = low + (high - low) / 2
            if rows[middle].line < line { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// `HYPERLINK("https://…", "Name")` → the address; nil for any other formula, for a first
    /// argument that is not a string literal (it would need evaluating) and for an address that is
    /// not http(s). In a literal, `""` is one quote.
    static func hyperlinkFormulaTarget(_ formula: String) -> String? {
        var rest = formula.drop { $0 == " " }
        guard rest.prefix(10).uppercased() == "HYPERLINK(" else { return nil }
        rest = rest.dropFirst(10).drop { $0 == " " }
        guard rest.first == "\"" else { return nil }
        rest = rest.dropFirst()
        var target = ""
        while let character = rest.first {
            rest = rest.dropFirst()
            if character == "\"" {
                guard rest.first == "\"" else { return webAddress(target) }
                rest = rest.dropFirst()
            }
            target.append(character)
        }
        return nil
    }

    static func webAddress(_ text: String) -> String? {
        let scheme = text.prefix(8).lowercased()
        return scheme.hasPrefix("https://") || scheme.hasPrefix("http://") ? text : nil
    }

    /// A small part of the workbook (not a sheet), parsed in memory by `delegate`.
    private static func parsed<Delegate: XMLParserDelegate>(_ archive: Archive, _ entry: Entry, limits: ZipLimits, into delegate: Delegate) throws -> Delegate {
        let data = try limits.data(entry, from: archive)
        do { try XMLSafety.check(data) } catch { throw Failure(description: "\(entry.path): \(error)") }
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else { throw Failure(description: "\(entry.path) is malformed") }
        return delegate
    }

    /// A sheet's relationships (`xl/worksheets/_rels/sheetN.xml.rels`) that point outside the
    /// file at a web address: what its `<hyperlink r:id>` elements name.
    private final class Relationships: NSObject, XMLParserDelegate {
        var webTargets: [String: String] = [:]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            guard name == "Relationship", attributes["TargetMode"] == "External", let id = attributes["Id"],
                  let target = attributes["Target"].flatMap(SpreadsheetTable.webAddress) else { return }
            webTargets[id] = target
        }
    }

    /// `<workbookPr date1904="1">`: the workbook's serial days count from 1904-01-01, not 1900.
    private final class WorkbookProperties: NSObject, XMLParserDelegate {
        var date1904 = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "workbookPr", let value = attributes["date1904"] { date1904 = value == "1" || value.lowercased() == "true" }
        }
    }
}
