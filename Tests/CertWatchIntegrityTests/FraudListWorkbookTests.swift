import CertWatchCore
import CertWatchIntegrity
import Foundation
import Testing

// Fixed dates here are the committed fixtures' contents, read back as parsed; never compared with today.
/// NOP's fraud list as NOP offers it for download, from the workbooks `testing/make_fraud_list.py`
/// writes: the header found below the titles, each notice's address read from the name's link,
/// a list whose columns are not recognised refused naming what was expected, every bad line named.
@Suite struct FraudListWorkbookTests {
    static let pdf = "https://www.ams.usda.gov/sites/default/files/media/"

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: WorkbookTests.fixture(name)))
    }

    static func failure(_ bytes: [UInt8]) -> ValidationFailure? {
        do { _ = try FraudNoticeFile.notices(from: bytes, limits: .standard, makeId: { "id" }) } catch { return error }
        return nil
    }

    @Test func nopsListIsReadBelowItsTitlesWithEachNamesLink() throws {
        let notices = try FraudNoticeFile.notices(from: Self.fixture("fraud-list-nop"), limits: .standard, makeId: { "id" })
        #expect(notices.map(\.operationName) == ["Northfield Grain Co-op", "Fake Organics S.A. de C.V.", "Valle Verde Aguacates"])
        #expect(notices.map(\.noticeDate.description) == ["2026-09-14", "2026-08-03", "2026-07-21"], "date cells, and a date written as text")
        #expect(notices.map(\.url) == [Self.pdf + "NorthfieldGrain-fraudulent-certificate.pdf", Self.pdf + "FakeOrganics-fraudulent-certificate.pdf",
                                       Self.pdf + "ValleVerde-fraudulent-certificate.pdf"], "hyperlinks, and a HYPERLINK formula")
        #expect(notices.map(\.certifier) == ["Oregon Tilth Certified Organic", nil, "Mayacert"])
        #expect(notices.allSatisfy { $0.identifier == nil }, "NOP's list has no identifier column")
    }

    @Test func rowsKeepTheLinesTheSheetShows() throws {
        let sheets = try SpreadsheetTable.read(WorkbookTests.fixture("fraud-list-nop"), limits: .standard)
        #expect(sheets.count == 1)
        #expect(sheets[0].map(\.line) == [1, 2, 4, 5, 6, 8], "the empty row 3 and the shaded, empty row 7 hold nothing")
        #expect(sheets[0][2].cells.mapValues(\.text) == [0: "Operation Name", 1: "Certifying Agent", 2: "Date Posted", 3: "Products"])
        #expect(sheets[0][3].cells[2]?.text == "46279", "a date cell is Excel's serial day")
    }

    @Test func aListWhoseColumnsAreNotRecognisedIsRefusedNamingWhatWasExpected() throws {
        let failure = try #require(Self.failure(try Self.fixture("fraud-list-unrecognised")))
        #expect(failure.errors.count == 1 && failure.errors[0].field == "file")
        let message = failure.errors[0].message
        #expect(message.contains("expected one naming the operation (operation_name, Operation, Operation Name,"), "\(message)")
        #expect(message.contains("one giving the date (notice_date, Date, Date Posted,"), "\(message)")
        #expect(message.contains("the first rows read: line 1: Fraudulent certificates (list); line 2: Organisation | Agent | Published | Document"),
                "\(message)")
    }

    @Test func everyBadLineIsListedAndNothingIsImported() throws {
        let failure = try #require(Self.failure(try Self.fixture("fraud-list-bad-date")))
        #expect(failure.errors.map(\.line) == [4, 5, 6, 7], "\(failure)")
        #expect(failure.errors.map(\.field) == ["Date Posted", "Date Posted", "Operation Name", "url"])
    }

    @Test func aWorkbookCountingDaysFrom1904IsRefusedNotReadFourYearsEarly() throws {
        let failure = try #require(Self.failure(try Self.fixture("fraud-list-mac-1904")))
        #expect(failure.errors.map(\.field) == ["file"] && failure.errors[0].message.contains("counts dates from 1904"), "\(failure)")
    }

    @Test func anXLSFileIsRefusedWithWhatToDo() {
        let xls: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)
        #expect(Self.failure(xls)?.description == "file: an .xls file: save it as .xlsx (Excel: File › Save As › Excel Workbook)")
    }

    @Test func aCSVIsReadAsBefore() throws {
        let csv = Array("operation_name,identifier,certifier,notice_date,url\nFake Organics,,,2026-09-14,https://www.ams.usda.gov/n/1\n".utf8)
        #expect(try FraudNoticeFile.notices(from: csv, limits: .standard, makeId: { "id" }).map(\.operationName) == ["Fake Organics"])
        #expect(Self.failure(Array("Operation Name,Date Posted\nFake Organics,2026-09-14\n".utf8))?.errors.first?.field == "operation name",
                "a CSV's columns are named exactly")
    }

    @Test func aCutOrOversizedWorkbookIsRefusedAsAFile() throws {
        let workbook = try Self.fixture("fraud-list-nop")
        let cut = try #require(Self.failure(Array(workbook.prefix(workbook.count / 2))))
        #expect(cut.errors.map(\.field) == ["file"] && cut.errors[0].line == nil, "\(cut)")
        let small = ZipLimits(maxEntryBytes: 1 << 10, maxRatio: 200)
        #expect(throws: ValidationFailure.self) { try FraudNoticeFile.notices(from: workbook, limits: small, makeId: { "id" }) }
    }
}
