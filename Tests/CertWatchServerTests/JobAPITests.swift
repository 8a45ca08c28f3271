import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// `GET /v1/jobs` and `POST /v1/jobs/{name}/run` as an operator uses them.
@Suite struct JobAPITests {
    @Test(arguments: Backend.allCases)
    func operatorsSeeEveryJobAndRunOneNow(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let anniversary = Date().addingTimeInterval(45 * 86_400).formatted(.iso8601.year().month().day().dateSeparator(.dash))
            _ = try await server.send(.post, "/v1/suppliers", key: server.admin, json: """
                {"name": "Soon Due", "certificate": {"status": "certified", "anniversaryDate": "\(anniversary)"}}
                """)
            #expect(try await server.send(.get, "/v1/jobs", key: server.purchaser).status == .forbidden, "job administration is an admin's")
            let listed = try await server.send(.get, "/v1/jobs", key: server.admin)
            let items = listed.json["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["name"] as? String } == ["verification", "alert-scan", "delivery", "digest"])
            #expect((items.first?["schedule"] as? String)?.hasPrefix("daily at 02:30 ") == true && items.first?["nextRunAt"] is String, "\(items)")

            #expect(try await server.send(.post, "/v1/jobs/alert-scan/run", key: server.purchaser).status == .forbidden)
            #expect(try await server.send(.post, "/v1/jobs/nope/run", key: server.admin).status == .notFound)
            let started = try await server.send(.post, "/v1/jobs/alert-scan/run", key: server.admin)
            #expect(started.status == .accepted && (started.json["slot"] as? String)?.hasPrefix("manual") == true)

            let lastRun = try await eventually("the alert scan run by hand to finish") {
                let jobs = try await server.send(.get, "/v1/jobs", key: server.admin).json["items"] as? [[String: Any]] ?? []
                let lastRun = jobs.first { $0["name"] as? String == "alert-scan" }?["lastRun"] as? [String: Any]
                return lastRun?["outcome"] as? String == "running" ? nil : lastRun
            }
            #expect(lastRun["outcome"] as? String == "succeeded")
            #expect((lastRun["summary"] as? [String: [String: Int]])?["alertScan"]?["created"] == 1)
        }
    }
}
