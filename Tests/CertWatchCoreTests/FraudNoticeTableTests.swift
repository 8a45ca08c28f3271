import CertWatchCore
import Testing

// Fixed dates here are a notice's own data, read back as parsed, never compared with the clock.
/// A fraud list laid out as a spreadsheet: the header found by what its columns are called,
/// the address taken from a link, every bad line named by the sheet's own column names.
@Suite struct FraudNoticeTableTests {
    static let link = "https://www.ams.usda.gov/fraud/"

    /// A row of `texts` in columns A, B, … (nil: an empty cell), with `links` on columns.
    static func row(_ line: Int, _ texts: [String?], links: [Int: String] = [:]) -> TableRow {
        var cells: [Int: TableRow.Cell] = [:]
        for (column, text) in texts.enumerated() { if let text { cells[column] = TableRow.Cell(text: text) } }
        for (column, link) in links { cells[column, default: TableRow.Cell(text: "")].link = link }
        return TableRow(line: line, cells: cells)
    }

    static func failure(_ rows: [TableRow]) -> ValidationFailure? {
        do { _ = try FraudNoticeTable.notices(in: [rows], makeId: { "id" }) } catch { return error }
        return nil
    }

    @Test func theHeaderIsFoundBelowTitlesAndEachAddressWhereTheRowGivesIt() throws {
        let rows = [
            Self.row(1, ["Fraudulent Organic Certificates"]),
            Self.row(2, ["Updated monthly"]),
            Self.row(4, ["Business Name", "Cert #", "CERTIFYING_AGENT", "Date Posted:", "Certificate (PDF)"]),
            Self.row(5, ["Northfield Grain Co-op", "4920007290", "Oregon Tilth", "46279", Self.link + "1"]),
            Self.row(6, ["Fake Organics", nil, nil, "8/3/2026"], links: [0: Self.link + "2"]),
            Self.row(7, [nil, nil, "Section: 2025"]),
            Self.row(8, ["Valle Verde", nil, nil, "2025-07-21", "see the notice"], links: [2: Self.link + "3"]),
        ]
        let notices = try FraudNoticeTable.notices(in: [rows], makeId: { "id" })
        #expect(notices.map(\.operationName) == ["Northfield Grain Co-op", "Fake Organics", "Valle Verde"], "line 7 has neither name nor date")
        #expect(notices.map(\.noticeDate.description) == ["2026-09-14", "2026-08-03", "2025-07-21"], "a date cell, US and ISO text")
        #expect(notices.map(\.url) == [Self.link + "1", Self.link + "2", Self.link + "3"],
                "the URL column, else the name's link, else any link in the row")
        #expect(notices[0].identifier == "4920007290" && notices[0].certifier == "Oregon Tilth")
        #expect(notices[1].identifier == nil && notices[1].certifier == nil)
    }

    @Test(arguments: [
        ("operation_name", "notice_date"), ("Operation", "Date"), ("OPERATION NAME", "Posted"),
        ("Operation Name on Certificate", "Date Added"), ("Company", "Date of Notice"), ("company_name", "Date Reported"),
        ("Name on Certificate", "Notice Date"), ("Business", "date posted"),
    ])
    func theNameAndDateGoByManyNames(name: String, date: String) throws {
        let rows = [Self.row(1, [name, date], links: [0: Self.link + "1"]), Self.row(2, ["Fake Organics", "2026-09-14"], links: [0: Self.link + "1"])]
        #expect(try FraudNoticeTable.notices(in: [rows], makeId: { "id" }).map(\.operationName) == ["Fake Organics"])
    }

    @Test(arguments: [
        ("NOP ID", "Certifier Name", "URL"), ("Certificate No.", "Certification Body", "PDF"),
        ("operation id", "Certifying Agent on Certificate", "Link"), ("Certificate Number", "certifier", "url"),
    ])
    func theIdentifierCertifierAndAddressGoByManyNames(identifier: String, certifier: String, url: String) throws {
        let rows = [Self.row(1, ["Operation Name", "Date", identifier, certifier, url]),
                    Self.row(2, ["Fake Organics", "2026-09-14", "5550001111", "Oregon Tilth", Self.link + "1"])]
        let notice = try #require(try FraudNoticeTable.notices(in: [rows], makeId: { "id" }).first)
        #expect(notice.identifier == "5550001111" && notice.certifier == "Oregon Tilth" && notice.url == Self.link + "1")
    }

    @Test func everyBadLineIsNamedByTheSheetsOwnColumnNames() throws {
        let failure = try #require(Self.failure([
            Self.row(3, ["Operation Name", "Date Posted"]),
            Self.row(4, ["Fake Organics", "14.09.2026"], links: [0: Self.link + "1"]),
            Self.row(5, [nil, "2026-09-14"], links: [1: Self.link + "2"]),
            Self.row(6, ["Unlinked Farms", "2026-09-14"]),
            Self.row(7, ["Too Early", "1899-12-31"], links: [0: Self.link + "3"]),
            Self.row(8, ["Fine Farms", "2026-09-14"], links: [0: Self.link + "4"]),
        ]))
        #expect(failure.errors.map(\.line) == [4, 5, 6, 7])
        #expect(failure.errors.map(\.field) == ["Date Posted", "Operation Name", "url", "Date Posted"])
        #expect(failure.errors[0].message.contains("a date cell, YYYY-MM-DD or M/D/YYYY"), "\(failure.errors[0].message)")
        #expect(failure.errors[2].message.contains("a link on the operation's name"), "\(failure.errors[2].message)")
    }

    @Test func aTableWithoutTheColumnsIsRefusedNamingWhatWasExpectedAndWhatWasRead() throws {
        let titles = (1...FraudNoticeTable.headerSearchRows).map { Self.row($0, ["Title \($0)"]) }
        let failure = try #require(Self.failure(titles + [Self.row(31, ["Operation Name", "Date Posted"])]))
        #expect(failure.errors.count == 1 && failure.errors[0].field == "file" && failure.errors[0].line == nil)
        let message = failure.errors[0].message
        #expect(message.hasPrefix("no row names the columns of a fraud list"), "the header must be among the first 30 rows")
        #expect(message.contains("one naming the operation (operation_name, Operation, Operation Name,"), "\(message)")
        #expect(message.contains("one giving the date (notice_date, Date, Date Posted,"), "\(message)")
        #expect(message.hasSuffix("the first rows read: line 1: Title 1; line 2: Title 2; line 3: Title 3"), "\(message)")

        let unnamed = try #require(Self.failure([Self.row(2, ["Organisation", "Published"]), Self.row(3, ["Fake Organics", "2026-09-14"])]))
        #expect(unnamed.errors[0].message.hasSuffix("line 2: Organisation | Published; line 3: Fake Organics | 2026-09-14"))
        #expect(Self.failure([])?.errors[0].message.hasSuffix("the first rows read: none, the file holds no text") == true)
    }

    @Test func aCSVKeepsItsOwnColumnNamesOnly() {
        let spreadsheetHeader = Array("Operation Name,Date Posted,URL\nFake Organics,2026-09-14,https://www.ams.usda.gov/fraud/1\n".utf8)
        #expect(throws: ValidationFailure.self, "CSV stays strict") { try FraudNoticeCSV.notices(from: spreadsheetHeader, makeId: { "id" }) }
    }
}
