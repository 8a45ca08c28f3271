import CertWatchTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite struct VerifyCLITests {
    @Test func verifyAllThenOneAgainstTheDouble() async throws {
        try await IntegrityDouble.with { double in
            let db = try await CLI.databaseArgument(.sqlite)
            let operations = try await double.operations()
            let csv = "name,nop_operation_id,status\n" + operations.prefix(5).map { "\"\($0["op_name"]!)\",\($0["op_nopOpID"]!),certified\n" }.joined()
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
            let environment = ["INTEGRITY_BASE_URL": double.baseURL, "INTEGRITY_API_KEY": "secret-key"]

            let all = try await CLI.run(["verify", "--all", "--database-url", db], environment: environment)
            #expect(all.status == 0, "\(all.stderr)")
            #expect(all.stdout.hasPrefix("bulk: ") && all.stdout.contains("0 failed"), "bootstrapped from the bulk download: \(all.stdout)")
            #expect(!all.stdout.contains("secret-key") && !all.stderr.contains("secret-key"))

            let nop = operations[0]["op_nopOpID"] as! String
            let one = try await CLI.run(["verify", nop, "--json", "--database-url", db], environment: environment)
            let run = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any]
            #expect(run?["source"] as? String == "bulk" && run?["verified"] as? Int == 1, "the default asks the bulk download first: \(one.stdout)\(one.stderr)")
            let delta = try await CLI.run(["verify", nop, "--json", "--database-url", db], environment: environment.merging(["INTEGRITY_SOURCES": "web-service,bulk"]) { $1 })
            let deltaRun = try JSONSerialization.jsonObject(with: Data(delta.stdout.utf8)) as? [String: Any]
            #expect(deltaRun?["source"] as? String == "web-service" && deltaRun?["verified"] as? Int == 1, "a vouched supplier, the delta first: \(delta.stdout)\(delta.stderr)")

            #expect(try await CLI.run(["verify", "--database-url", db]).status != 0, "needs --all or a supplier")

            let search = try await CLI.run(["integrity", "search", "Café", "--database-url", db])
            #expect(search.status == 0 && search.stdout.contains("Café Orgánico del Sur"))

            try await double.fault("html")
            let refused = try await CLI.run(["verify", "--all", "--database-url", db], environment: environment)
            #expect(refused.status != 0 && refused.stderr.contains("no status changed"))
            #expect(refused.stdout.contains("5 failed"))
            #expect(!refused.stdout.contains("secret-key") && !refused.stderr.contains("secret-key"), "the key stays out of errors too")
        }
    }

    @Test func integrityImportReadsADownloadedFile() async throws {
        try await IntegrityDouble.with { double in
            let db = try await CLI.databaseArgument(.sqlite)
            let operations = try await double.operations()
            let suspended = try #require(operations.first { $0["op_status"] as? String == "Suspended" })
            let csv = "name,nop_operation_id,status\nSomeone,\(suspended["op_nopOpID"]!),certified\n"
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
            let zip = FileManager.default.temporaryDirectory.appendingPathComponent("integrity-\(UUID().uuidString).zip")
            let (data, _) = try await URLSession.shared.data(from: URL(string: double.baseURL + "/rest/GetAllOperationsPublicData")!)
            try data.write(to: zip)

            let checked = try await CLI.run(["integrity", "import", zip.path, "--dry-run", "--database-url", db])
            #expect(checked.stdout.contains("40 operations; 1 of 1 registered suppliers listed, 0 unreadable; nothing recorded"), "\(checked.stdout)")
            #expect(try await CLI.run(["suppliers", "show", suspended["op_nopOpID"] as! String, "--database-url", db]).stdout.contains("Certified"))

            let imported = try await CLI.run(["integrity", "import", zip.path, "--database-url", db])
            #expect(imported.status == 0 && imported.stdout.contains("1 changed"), "\(imported.stdout)\(imported.stderr)")
            let shown = try await CLI.run(["suppliers", "show", suspended["op_nopOpID"] as! String, "--database-url", db])
            #expect(shown.stdout.contains("Suspended"))

            let junk = try CLI.writeTemporary("<html>oops</html>", suffix: ".zip")
            let refused = try await CLI.run(["integrity", "import", junk, "--database-url", db])
            #expect(refused.status != 0 && refused.stderr.contains("HTML page"))
        }
    }
}
