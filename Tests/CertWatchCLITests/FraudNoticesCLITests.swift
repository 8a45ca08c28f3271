import CertWatchTestSupport
import Foundation
import Testing

/// `certwatch fraud-notices import` as an operator runs it: a bad file imports nothing and names
/// its lines; a good one makes `certwatch check` block the supplier it names.
@Suite struct FraudNoticesCLITests {
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
}
