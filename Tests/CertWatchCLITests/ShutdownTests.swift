import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// SIGTERM while the nightly verification is in flight (INTEGRITY answers only after 5 s, again
/// and again): the process ends within `shutdown.graceSeconds` plus start-up slack, and the run
/// is released, so another replica takes it over at once instead of after its 60 s lease.
@Suite struct ShutdownTests {
    @Test func sigtermDuringAVerificationEndsInTimeAndReleasesTheRun() async throws {
        try await IntegrityDouble.with { double in
            let db = try await CLI.databaseArgument(.sqlite)
            let nop = try #require(try await double.operations().first?["op_nopOpID"] as? String)
            let csv = "name,nop_operation_id,status\nLinked Supplier,\(nop),certified\n"
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
            try await double.fault("slow", times: 100)
            let database = try Database.open(try DatabaseURL(parsing: db), logger: Logger(label: "test"))
            let runs = JobRunStore(database: database)
            // A fresh database has missed its latest nightly slot: the scheduler runs it at start-up.
            try await ServeProcess.with(db, environment: [
                "INTEGRITY_BASE_URL": double.baseURL, "INTEGRITY_SOURCES": "bulk", "SHUTDOWN_GRACE_SECONDS": "3", "LOG_LEVEL": "warning",
            ]) { server in
                let inFlight = try await eventually("the nightly verification to start") {
                    try await runs.runs(of: "verification").first { $0.finishedAt == nil }
                }
                let asked = ContinuousClock.now
                _ = try await server.terminate()
                #expect(ContinuousClock.now - asked < .seconds(15), "SIGTERM ends the process within the grace (3 s) and slack")
                let takenOver = try await runs.claim(job: "verification", slot: inFlight.slot, owner: "other replica", lease: 60, now: Date())
                #expect(takenOver?.id == inFlight.id && takenOver?.finishedAt == nil, "released unfinished, so another replica resumes it now")
            }
            try await database.close()
        }
    }

    /// Issue 21: SIGTERM while a *Verify now* waits on a slow INTEGRITY cancels the wait at once
    /// instead of holding the process for the whole grace (30 s here).
    @Test func sigtermCancelsAVerifyNowInsteadOfWaitingTheGrace() async throws {
        try await IntegrityDouble.with { double in
            let db = try await CLI.databaseArgument(.sqlite)
            let nop = try #require(try await double.operations().first?["op_nopOpID"] as? String)
            let csv = "name,nop_operation_id\nLinked Supplier,\(nop)\n"
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
            let key = try await CLI.run(["keys", "create", "--name", "ops", "--role", "admin", "--database-url", db])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try await double.fault("slow", times: 100, seconds: 120)
            try await ServeProcess.with(db, environment: [
                "INTEGRITY_BULK_URL": double.newerBulkURL, "INTEGRITY_SOURCES": "bulk", "SHUTDOWN_GRACE_SECONDS": "30", "LOG_LEVEL": "warning",
            ]) { server in
                let id = try await eventually("the server to list the supplier") {
                    ((try? await server.get("/v1/suppliers", key: key))?["items"] as? [[String: Any]])?.first?["id"] as? String
                }
                let answered = try await server.post("/v1/suppliers/\(id)/verify", key: key, json: "{}")
                let runId = try #require(answered["runId"] as? String, "INTEGRITY is slow: 202 with the run to follow: \(answered)")
                let asked = ContinuousClock.now
                #expect(try await server.terminate() == 0)
                #expect(ContinuousClock.now - asked < .seconds(15), "the verification was cancelled, not waited for until the 30 s grace")
                // A shutdown is no failure of INTEGRITY's: nothing recorded as failed, nobody alerted.
                let database = try Database.open(try DatabaseURL(parsing: db), logger: Logger(label: "test"))
                let run = try await VerificationStore(database: database).run(id: runId)
                #expect(run?.outcome == .running && run?.failed == 0, "left to its lease, which any replica then closes: \(String(describing: run))")
                #expect(try await AlertStore(database: database).list(.init(kind: .verificationFailed)).items.isEmpty)
                try await database.close()
            }
        }
    }
}
