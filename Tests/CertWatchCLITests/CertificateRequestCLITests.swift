import CertWatchTestSupport
import Foundation
import Testing

/// `certwatch suppliers request-certificate`, `requests` and `withdraw-request`, as an operator
/// runs them; exit statuses are what scripts read (0 done, 1 refused, 64 bad arguments).
@Suite struct CertificateRequestCLITests {
    @Test(arguments: Backend.allCases)
    func anOperatorAsksASupplierAndWithdrawsTheRequest(_ backend: Backend) async throws {
        let db = try await CLI.databaseArgument(backend)
        let added = try await CLI.run(["suppliers", "add", "--name", "Valle Verde", "--country", "Mexico",
                                       "--supplier-email", "calidad@valleverde.example", "--database-url", db])
        #expect(added.status == 0, "\(added.stderr)")

        let unnamed = try await CLI.run(["suppliers", "request-certificate", "Valle Verde", "--print-link", "--database-url", db])
        #expect(unnamed.status == 1 && unnamed.stderr.contains("requests.handlerName"), "who asks must be configured")

        let handler = ["REQUESTS_HANDLER_NAME": "Example Organic Foods"]
        let sent = try await CLI.run(["suppliers", "request-certificate", "Valle Verde", "--kind", "organic_certificate", "--print-link",
                                      "--database-url", db], environment: handler)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("nothing was emailed"), "no mail server is configured")
        #expect(sent.stdout.firstMatch(of: /link: http:\/\/127\.0\.0\.1:8080\/upload\/[0-9a-f]{64}/) != nil)

        let again = try await CLI.run(["suppliers", "request-certificate", "Valle Verde", "--kind", "organic_certificate", "--print-link",
                                       "--database-url", db], environment: handler)
        #expect(again.status == 1 && again.stderr.contains("already open"))

        let listed = try await CLI.run(["suppliers", "requests", "Valle Verde", "--json", "--database-url", db])
        let requests = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(requests.map { "\($0["kind"] ?? "") \($0["state"] ?? "")" } == ["organic_certificate open"])
        let id = try #require(requests.first?["id"] as? String)
        let withdrawn = try await CLI.run(["suppliers", "withdraw-request", id, "--database-url", db])
        #expect(withdrawn.status == 0 && withdrawn.stdout.contains("withdrew \(id)"))
        let twice = try await CLI.run(["suppliers", "withdraw-request", id, "--database-url", db])
        #expect(twice.status == 1 && twice.stderr.contains("is withdrawn"))

        let shown = try await CLI.run(["suppliers", "show", "Valle Verde", "--json", "--database-url", db])
        #expect(shown.stdout.contains("calidad@valleverde.example"))
    }

    @Test func badArgumentsExit64() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let badKind = try await CLI.run(["suppliers", "request-certificate", "x", "--kind", "other", "--database-url", db])
        #expect(badKind.status == 64 && badKind.stderr.contains("expected organic_certificate or import_certificate"))
        let unknown = try await CLI.run(["suppliers", "request-certificate", "nobody", "--print-link", "--database-url", db],
                                        environment: ["REQUESTS_HANDLER_NAME": "Example Organic Foods"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no supplier matches"))
    }
}
