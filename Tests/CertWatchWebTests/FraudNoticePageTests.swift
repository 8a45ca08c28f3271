import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// Importing NOP's fraud list on the page, as its spreadsheet and as CSV, and reading the notices
/// with the suppliers they name: all or nothing, a notice already known kept once.
@Suite struct FraudNoticePageTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CertWatchIntegrityTests/Fixtures")

    /// Valle Verde, which NOP's list names, and Prairie Dairy, which it does not. Valle Verde's id.
    static func registry(_ database: Database) async throws -> String {
        let store = SupplierStore(database: database)
        let valle = try await store.create(Supplier(id: RecordID.make(), name: "Valle Verde Aguacates", nopOperationId: NOPOperationID("8150001234"),
                                                    country: "Mexico"))
        _ = try await store.create(Supplier(id: RecordID.make(), name: "Prairie Dairy Farms", nopOperationId: NOPOperationID("1230004567")))
        return valle.supplier.id
    }

    /// Posts `file` to the import form as a browser does, with the form's token.
    static func upload(_ browser: PageClient, _ fileName: String, _ bytes: [UInt8]) async throws -> PageClient.Page {
        let token = try #require(try await browser.get("/admin/fraud-notices/import").csrf)
        return try await browser.postFiles("/admin/fraud-notices/import", [("csrf", "", Array(token.utf8)), ("file", fileName, bytes)])
    }

    @Test(arguments: Backend.allCases)
    func nopsSpreadsheetIsImportedAndItsNoticesListedWithTheSuppliersTheyName(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let valle = try await Self.registry(server.database)
            _ = try await browser.signIn(server.admin)
            let workbook = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("fraud-list-nop.xlsx")))
            let imported = try await Self.upload(browser, "fraud-list.xlsx", workbook)
            #expect(imported.status == .ok, "\(imported.html)")
            #expect(imported.html.contains("Imported 3 notices (0 already known); 1 suppliers named."))
            #expect(imported.html.contains("<a href=\"/suppliers/\(valle)\">Valle Verde Aguacates</a>"))
            let activity = try await ActivityLog(database: server.database).entries()
            #expect(activity.contains { $0.action == "fraud_notices.imported" && $0.detail == "3 added, 0 already known" })

            // The same list as an old Excel file (converted by gnumeric's ssconvert) is the same notices.
            let xls = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("fraud-list-nop.xls")))
            let again = try await Self.upload(browser, "fraud-list.xls", xls)
            #expect(again.html.contains("Imported 0 notices (3 already known); 0 suppliers named."), "a notice already known is kept once: \(again.html)")
            #expect(try await FraudNoticeStore(database: server.database).all().count == 3)

            _ = try await browser.signIn(server.purchaser)
            let list = try await browser.get("/fraud-notices")
            #expect(list.status == .ok)
            #expect(list.html.contains("<td>Valle Verde Aguacates</td><td></td><td>Mayacert</td>"))
            #expect(list.html.contains("<li><a href=\"/suppliers/\(valle)\">Valle Verde Aguacates</a></li>"), "the supplier the notice names")
            #expect(list.html.contains("ValleVerde-fraudulent-certificate.pdf") && list.html.contains("Fake Organics S.A. de C.V."))
            #expect(!list.html.contains("Prairie Dairy"), "a supplier no notice names is not listed")
            #expect(!list.html.contains("/admin/fraud-notices/import"), "a buyer is not offered the import")
        }
    }

    @Test(arguments: Backend.allCases)
    func aCSVWithOneBadLineImportsNothingAndNamesTheLine(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            _ = try await Self.registry(server.database)
            _ = try await browser.signIn(server.admin)
            let header = "operation_name,identifier,certifier,notice_date,url\n"
            let good = "Valle Verde Aguacates,8150001234,Mayacert,2026-07-21,https://www.ams.usda.gov/n/1\n"
            let bad = "Fake Organics,,,yesterday,https://www.ams.usda.gov/n/2\n"
            let refused = try await Self.upload(browser, "notices.csv", Array((header + good + bad).utf8))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("Nothing was imported"))
            #expect(refused.html.contains("<th scope=\"row\">line 3</th><td>notice_date</td>"), "\(refused.html)")
            #expect(try await FraudNoticeStore(database: server.database).all().isEmpty, "the good line was not imported either")

            let empty = try await Self.upload(browser, "none.csv", [])
            #expect(empty.status == .unprocessableContent && empty.html.contains("id=\"fraud-file-error\""))
            let xls = try await Self.upload(browser, "old.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])
            #expect(xls.status == .unprocessableContent && xls.html.contains("cannot be read") && xls.html.contains("save it as .xlsx"), "\(xls.html)")

            let imported = try await Self.upload(browser, "notices.csv", Array((header + good).utf8))
            #expect(imported.html.contains("Imported 1 notices (0 already known); 1 suppliers named."), "\(imported.html)")
        }
    }
}
