import CertWatchTestSupport
import Foundation
import Testing

/// `certwatch fraud-notices import` as an operator runs it: a bad file imports nothing and names
/// its lines; a good one makes `certwatch check` block the supplier it names.
@Suite struct FraudNoticesCLITests {
    /// NOP's list as `testing/make_fraud_list.py` writes it (its dates are fixed, never compared with today).
    static let nopList = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CertWatchIntegrityTests/Fixtures/fraud-list-nop.xlsx").path

    @Test func aNoticeImportedFromCSVBlocksTheSupplierItNames() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let suppliers = "name,nop_operation_id,status\nNorthfield Grain Co-op,4920007290,certified\n"
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(suppliers), "--database-url", db]).status == 0)
        let date = TestDates.fromToday(-2)
        let bad = try CLI.writeTemporary("operation_name,identifier,certifier,notice_date,url\nNorthfield Grain Co-op,,,yesterday,https://www.ams.usda.gov/n/1\n")
        let refused = try await CLI.run(["fraud-notices", "import", bad, "--database-url", db])
        #expect(refused.status != 0 && refused.stderr.contains("line 2") && refused.stderr.contains("notice_date"), "\(refused.stderr)")
        let none = try await CLI.run(["fraud-notices", "list", "--json", "--database-url", db])
        #expect((try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [Any])?.isEmpty == true, "nothing was imported: \(none.stdout)")

        let good = try CLI.writeTemporary("operation_name,identifier,certifier,notice_date,url\n\"NORTHFIELD GRAIN CO-OP, LLC\",,Oregon Tilth,\(date),https://www.ams.usda.gov/n/1\n")
        let imported = try await CLI.run(["fraud-notices", "import", good, "--database-url", db])
        #expect(imported.status == 0 && imported.stdout.contains("imported 1 notices") && imported.stdout.contains("1 suppliers named"),
                "\(imported.stdout)\(imported.stderr)")
        let check = try await CLI.run(["check", "4920007290", "--product", "wheat", "--database-url", db])
        #expect(check.status == 1 && check.stdout.contains("fraud_notice") && check.stdout.contains(date), "\(check.stdout)")
    }

    @Test func nopsSpreadsheetNamesASupplierAndRaisesAnAlert() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let suppliers = "name,nop_operation_id,status\nValle Verde Aguacates,8150001234,certified\n"
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(suppliers), "--database-url", db]).status == 0)
        let imported = try await CLI.run(["fraud-notices", "import", Self.nopList, "--database-url", db])
        #expect(imported.status == 0 && imported.stdout.contains("imported 3 notices") && imported.stdout.contains("1 suppliers named"),
                "\(imported.stdout)\(imported.stderr)")
        #expect(imported.stdout.contains("ValleVerde-fraudulent-certificate.pdf"), "the link on the operation's name: \(imported.stdout)")
        let alerts = try await CLI.run(["alerts", "list", "--json", "--database-url", db])
        let types = (try JSONSerialization.jsonObject(with: Data(alerts.stdout.utf8)) as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        #expect(types == ["supplier.fraud_notice"], "\(alerts.stdout)")
        let check = try await CLI.run(["check", "8150001234", "--product", "avocados", "--database-url", db])
        #expect(check.status == 1 && check.stdout.contains("fraud_notice") && check.stdout.contains("2026-07-21"), "\(check.stdout)")
    }

    @Test func nopsListAsAnOldExcelFileImportsTheSameNotices() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let xls = Self.nopList.replacingOccurrences(of: ".xlsx", with: ".xls")
        let imported = try await CLI.run(["fraud-notices", "import", xls, "--database-url", db])
        #expect(imported.status == 0 && imported.stdout.contains("imported 3 notices"), "\(imported.stdout)\(imported.stderr)")
        let listed = try await CLI.run(["fraud-notices", "list", "--json", "--database-url", db])
        let urls = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
        #expect(urls.contains { $0.hasSuffix("NorthfieldGrain-fraudulent-certificate.pdf") }, "the link on the name survives: \(urls)")
        #expect(urls.contains { $0.hasSuffix("ValleVerde-fraudulent-certificate.pdf") }, "and the HYPERLINK formula's: \(urls)")
    }

    @Test func aBrokenXLSFileIsRefusedAsABadCSVIs() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let xls = FileManager.default.temporaryDirectory.appendingPathComponent("cw-\(UUID().uuidString).xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)).write(to: xls)
        let refused = try await CLI.run(["fraud-notices", "import", xls.path, "--database-url", db])
        let badCSV = try await CLI.run(["fraud-notices", "import", try CLI.writeTemporary("name\nx\n"), "--database-url", db])
        #expect(refused.status == badCSV.status && refused.status != 0, "\(refused.status) \(badCSV.status)")
        #expect(refused.stderr.contains("an .xls file that cannot be read") && refused.stderr.contains("save it as .xlsx")
                && refused.stderr.contains("nothing was imported"), "\(refused.stderr)")
    }
}
