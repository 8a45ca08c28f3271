import CertWatchTestSupport
import Foundation
import Testing

/// `certwatch documents add|list`: a certificate filed from the command line is read and
/// cross-checked, and a file that is not a PDF, PNG or JPEG is refused with its reason.
@Suite struct DocumentsCLITests {
    @Test func aCertificateIsFiledReadAndListed() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let csv = "name,nop_operation_id,certifier,status\nNorthfield Grain Co-op,4920007290,Oregon Tilth,certified\n"
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
        let pdf = try await CertificatePDF.write("certificate", "Northfield Grain Co-op", "1230004567", "", "Oregon Tilth", "Wheat")
        defer { try? FileManager.default.removeItem(atPath: pdf) }

        let added = try await CLI.run(["documents", "add", "4920007290", pdf, "--kind", "organic_certificate", "--database-url", db])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("disagrees with the supplier's record") && added.stdout.contains("nop_id_differs"), "\(added.stdout)")

        let listed = try await CLI.run(["documents", "list", "Northfield Grain Co-op", "--json", "--database-url", db])
        let items = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(items?.count == 1 && items?.first?["kind"] as? String == "organic_certificate", "\(listed.stdout)")

        let text = try CLI.writeTemporary("not a certificate", suffix: ".pdf")
        let refused = try await CLI.run(["documents", "add", "4920007290", text, "--kind", "organic_certificate", "--database-url", db])
        #expect(refused.status != 0 && refused.stderr.contains("not a PDF, PNG or JPEG"), "\(refused.stderr)")
        #expect(try await CLI.run(["documents", "add", "4920007290", pdf, "--kind", "passport", "--database-url", db]).status != 0)
    }
}
