import CertWatchTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The README's first command, end to end: `serve --sample-data` loads the sample suppliers,
/// prints an admin key, serves them over the API while the CLI reads the same database, and
/// stops cleanly on SIGTERM.
@Suite struct ServeTests {
    @Test func serveWithSampleDataAnswersTheAPIAndTheCLI() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let db = try await CLI.databaseArgument(.sqlite)
        try await ServeProcess.with(db, arguments: ["--sample-data"], directory: repository.path) { server in
            let printed = try await eventually("serve to print its start-up lines", deadline: .seconds(60)) {
                server.output.contains("metrics:") ? server.output : nil
            }
            let key = try #require(printed.split(separator: "\n").first { $0.contains("shown once") }?.split(separator: " ").last.map(String.init))
            #expect(printed.contains("loaded 5 sample suppliers"))

            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/v1/suppliers")!)
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            let body = try await eventually("the server to answer on port \(server.port)") { try? await URLSession.shared.data(for: request).0 }
            let page = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            let names = (page?["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names?.count == 5)
            #expect(names?.contains("Northfield Grain Co-op") == true)

            let cli = try await CLI.run(["suppliers", "show", "4920007290", "--database-url", db])
            #expect(cli.status == 0 && cli.stdout.contains("Northfield Grain Co-op"))
            let valle = try await CLI.run(["suppliers", "show", "8150001234", "--json", "--database-url", db])
            let shown = try JSONSerialization.jsonObject(with: Data(valle.stdout.utf8)) as? [String: Any]
            #expect(shown?["anniversaryDate"] as? String == TestDates.fromToday(45), "the sample's dates are relative to the day it loads")

            #expect(try await server.terminate() == 0, "SIGTERM stops the server cleanly")
        }
    }
}
