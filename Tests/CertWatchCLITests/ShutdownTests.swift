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
}
