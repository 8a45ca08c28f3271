import CertWatchTestSupport
import Foundation
import Testing

/// Issue 25: a run started by hand never stays `running` after its process dies. Two replicas
/// on one database; the one working on the run is killed with SIGKILL while INTEGRITY is slow.
@Suite struct HandStartedRunTests {
    /// Two replicas with a two-second lease, the suppliers registered and the first night done.
    static func withTwoReplicas(_ backend: Backend, _ body: (IntegrityDouble, ServeProcess, ServeProcess, String) async throws -> Void) async throws {
        let db = try await CLI.databaseArgument(backend)
        try await IntegrityDouble.with { double in
            let environment = ["INTEGRITY_BULK_URL": double.newerBulkURL, "INTEGRITY_WEB_SERVICE_URL": double.webServiceURL,
                               "INTEGRITY_API_KEY": "key", "SCHEDULE_LEASE_SECONDS": "2", "LOG_LEVEL": "warning"]
            let operations = Array(try await double.operations().prefix(3))
            let csv = "name,nop_operation_id\n" + operations.map { "Supplier \($0["op_nopOpID"] as? String ?? ""),\($0["op_nopOpID"] as? String ?? "")\n" }.joined()
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
            let key = try await CLI.run(["keys", "create", "--name", "ops", "--role", "admin", "--database-url", db])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try await ServeProcess.with(db, environment: environment) { first in
                try await ServeProcess.with(db, environment: environment) { second in
                    _ = try await eventually("the missed night to be run at start") {
                        let jobs = (try? await second.get("/v1/jobs", key: key))?["items"] as? [[String: Any]] ?? []
                        let nightly = jobs.first { $0["name"] as? String == "verification" }?["lastRun"] as? [String: Any]
                        return nightly?["finishedAt"] is String ? true : nil
                    }
                    try await body(double, first, second, key)
                }
            }
        }
    }

    /// Waits until the double has been asked for the bulk download `count` times in all.
    static func bulkRequested(_ double: IntegrityDouble, _ count: Int) async throws {
        _ = try await eventually("INTEGRITY to be asked") {
            try await double.log().filter { $0.path.hasSuffix("GetAllOperationsPublicData") }.count >= count ? true : nil
        }
    }

    @Test(arguments: Backend.allCases)
    func aRunStartedByHandWhoseReplicaIsKilledIsFinishedByTheOther(_ backend: Backend) async throws {
        try await Self.withTwoReplicas(backend) { double, first, second, key in
            let asked = try await double.log().filter { $0.path.hasSuffix("GetAllOperationsPublicData") }.count
            try await double.fault("slow", times: 1, seconds: 60)
            let started = try await first.post("/v1/verifications", key: key, json: "{}")
            let runId = try #require(started["runId"] as? String, "\(started)")
            try await Self.bulkRequested(double, asked + 1)
            first.kill()  // while INTEGRITY has not answered it

            let finished = try await eventually("the other replica to finish the run", deadline: .seconds(90), every: .milliseconds(250)) {
                let run = try await second.get("/v1/verifications/\(runId)", key: key)
                return run["outcome"] as? String == "running" ? nil : run
            }
            #expect(finished["outcome"] as? String == "completed" && finished["failed"] as? Int == 0, "\(finished)")
            let jobs = try await second.get("/v1/jobs", key: key)["items"] as? [[String: Any]] ?? []
            let last = jobs.first { $0["name"] as? String == "verification" }?["lastRun"] as? [String: Any]
            #expect(last?["id"] as? String == runId && last?["attempts"] as? Int == 2 && last?["outcome"] as? String == "succeeded", "\(last ?? [:])")
        }
    }

    @Test(arguments: Backend.allCases)
    func aVerifyNowWhoseReplicaIsKilledIsClosedAsAbandoned(_ backend: Backend) async throws {
        try await Self.withTwoReplicas(backend) { double, first, second, key in
            let supplier = try #require((try await second.get("/v1/suppliers", key: key)["items"] as? [[String: Any]])?.first?["id"] as? String)
            try await double.fault("slow", times: 1, seconds: 60)
            let answered = try await first.post("/v1/suppliers/\(supplier)/verify", key: key, json: "{}")  // 202 after 5 s
            let runId = try #require(answered["runId"] as? String, "still running, so the run to follow: \(answered)")
            first.kill()

            let closed = try await eventually("the run to be closed", deadline: .seconds(60), every: .milliseconds(250)) {
                let run = try await second.get("/v1/verifications/\(runId)", key: key)
                return run["outcome"] as? String == "running" ? nil : run
            }
            #expect(closed["outcome"] as? String == "abandoned", "\(closed)")
            #expect((closed["reason"] as? String)?.contains("stopped before it finished") == true)
            #expect(closed["finishedAt"] is String)
        }
    }
}
