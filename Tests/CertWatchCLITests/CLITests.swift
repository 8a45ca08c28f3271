import CertWatchTestSupport
import Foundation
import Testing

@Suite struct CLITests {
    @Test(arguments: Backend.allCases)
    func importReportsEveryBadLineAndWritesNothing(_ backend: Backend) async throws {
        let db = try await CLI.databaseArgument(backend)
        let bad = try CLI.writeTemporary("name,nop_operation_id,status\nGood,1000000001,certified\nBad,123,certified\nAlso bad,1000000002,pending\n")
        let refused = try await CLI.run(["suppliers", "import", bad, "--database-url", db])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(bad):line 3: nopOperationId"))
        #expect(refused.stderr.contains("\(bad):line 4: certificate.status"))
        #expect(refused.stderr.contains("2 error(s); nothing was imported"))
        #expect(try await CLI.run(["suppliers", "list", "--json", "--database-url", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")

        let good = try CLI.writeTemporary("name,nop_operation_id,status,products\nAlpha,1000000001,certified,crops:Oats\nBeta,1000000002,suspended,\n")
        let dry = try await CLI.run(["suppliers", "import", good, "--dry-run", "--database-url", db])
        #expect(dry.status == 0 && dry.stdout.contains("would import 2 rows"))
        let applied = try await CLI.run(["suppliers", "import", good, "--database-url", db])
        #expect(applied.status == 0 && applied.stdout.contains("2 new, 0 updated"), "\(applied.stderr)")
        let again = try await CLI.run(["suppliers", "import", good, "--json", "--database-url", db])
        let report = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect(report?["updated"] as? Int == 2 && report?["created"] as? Int == 0)

        let list = try await CLI.run(["suppliers", "list", "--status", "Suspended", "--json", "--database-url", db])
        let suppliers = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(suppliers?.compactMap { $0["name"] as? String } == ["Beta"])
        let table = try await CLI.run(["suppliers", "list", "--database-url", db])
        #expect(table.stdout.split(separator: "\n").first?.hasPrefix("NAME") == true)
        #expect(table.stdout.contains("Alpha") && table.stdout.contains("Suspended"))
    }

    @Test func addShowsTheSupplierAndRefusesADuplicateNOPID() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        // 2027-01-15 is only stored and shown back, never compared with today.
        let added = try await CLI.run(["suppliers", "add", "--name", "Valle Verde", "--nop-id", "8150001234", "--status", "certified",
                                 "--anniversary-date", "2027-01-15", "--product", "crops:Avocados (Hass|Fuerte)", "--database-url", db])
        #expect(added.status == 0, "\(added.stderr)")
        let shown = try await CLI.run(["suppliers", "show", "8150001234", "--json", "--database-url", db])
        let supplier = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        #expect(supplier?["name"] as? String == "Valle Verde")
        #expect(supplier?["products"] as? [String] == ["crops:Avocados (Hass|Fuerte)"])
        #expect(try await CLI.run(["suppliers", "show", "valle verde", "--database-url", db]).stdout.contains("Anniversary date  2027-01-15"))

        let duplicate = try await CLI.run(["suppliers", "add", "--name", "Other", "--nop-id", "8150001234", "--database-url", db])
        #expect(duplicate.status != 0 && duplicate.stderr.contains("already belongs to supplier"))
        let invalid = try await CLI.run(["suppliers", "add", "--name", "X", "--nop-id", "42", "--database-url", db])
        #expect(invalid.status != 0 && invalid.stderr.contains("nopOperationId: must be exactly 10 digits"))
        #expect(invalid.stderr.split(separator: "\n").count == 1, "one line: \(invalid.stderr)")
        let missing = try await CLI.run(["suppliers", "show", "Nobody", "--database-url", db])
        #expect(missing.status != 0 && missing.stderr.contains("no supplier matches"))
    }

    @Test func keysArePrintedOnceAndRevocable() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let created = try await CLI.run(["keys", "create", "--name", "erp", "--role", "purchaser", "--database-url", db])
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(created.status == 0 && secret.hasPrefix("cwk_"))
        let listed = try await CLI.run(["keys", "list", "--json", "--database-url", db])
        #expect(listed.stdout.contains("\"erp\"") && !listed.stdout.contains(secret))
        #expect(try await CLI.run(["keys", "create", "--name", "x", "--role", "root", "--database-url", db]).status != 0)
        #expect(try await CLI.run(["keys", "revoke", "erp", "--database-url", db]).status == 0)
        let again = try await CLI.run(["keys", "revoke", "erp", "--database-url", db])
        #expect(again.status != 0 && again.stderr.contains("no active key named \"erp\""))
    }

    @Test func badConfigurationStopsWithTheKeyNamed() async throws {
        let port = try await CLI.run(["serve"], environment: ["HTTP_PORT": "abc"])
        #expect(port.status != 0 && port.stderr.contains("http.port (HTTP_PORT)"))
        let scheme = try await CLI.run(["suppliers", "list"], environment: ["DATABASE_URL": "mysql://localhost/cw"])
        #expect(scheme.status != 0 && scheme.stderr.contains("database.url") && scheme.stderr.contains("unknown database scheme"))
        let file = try CLI.writeTemporary("http:\n  port: 99999\n", suffix: ".yaml")
        let range = try await CLI.run(["serve", "--config", file])
        #expect(range.status != 0 && range.stderr.contains("http.port"))
    }
}
