import CertWatchCore
import CertWatchIntegrity
import CertWatchStore
import Foundation
import Logging

/// "Verify now" of one supplier, as the API (`POST /v1/suppliers/{id}/verify`) and the supplier
/// page offer it: a verification run of that supplier started as background work (so shutdown
/// waits for it) and waited for at most a few seconds, because INTEGRITY's retries can take a
/// minute and a person's page must not hang on them. A supplier nobody has vouched for yet is
/// answered by a complete source (`FallbackSource`), so a new one is verified, not failed.
public struct VerifyNow: Sendable {
    public enum Outcome: Sendable {
        /// Finished within the wait: the supplier's verification record.
        case finished(VerificationRecord)
        /// Still working when the wait ended: the run to follow.
        case running(VerificationRun)
        /// The process is shutting down; nothing was started.
        case shuttingDown
    }

    let database: Database
    let integritySource: @Sendable () async throws -> any IntegritySource
    let background: BackgroundWork
    /// The run's lease, renewed every third of it while it works: if this process dies, any
    /// replica's scheduler closes the run as abandoned once it runs out (`Scheduler.runDue`).
    let lease: TimeInterval
    let logger: Logger

    public init(database: Database, integritySource: @escaping @Sendable () async throws -> any IntegritySource,
                background: BackgroundWork, lease: TimeInterval, logger: Logger) {
        self.database = database
        self.integritySource = integritySource
        self.background = background
        self.lease = lease
        self.logger = logger
    }

    public func verify(supplierId: String, wait: Duration) async throws -> Outcome {
        let store = VerificationStore(database: database)
        let run = VerificationRun(id: RecordID.make(), startedAt: Date(), source: "pending")
        try await store.save(run)
        let (finished, finish) = AsyncStream.makeStream(of: Void.self)
        let database = self.database, integritySource = self.integritySource, logger = self.logger, lease = self.lease
        let started = background.start("verify \(supplierId)") {
            defer { finish.finish() }
            do {
                _ = try await VerificationJob.holdingLease(runId: run.id, database: database, lease: lease) {
                    try await VerificationJob.run(
                        source: try await integritySource(), database: database, supplierIds: [supplierId], runId: run.id, logger: logger)
                }
            } catch is CancellationError {
                logger.notice("verification cancelled by shutdown; its lease will close it", metadata: ["run": "\(run.id)"])
            } catch {
                logger.error("verification failed", metadata: ["run": "\(run.id)", "error": "\(error)"])
                try? await store.saveRejected(run, reason: "\(error)", at: Date())
            }
        }
        guard started else {
            try? await store.saveRejected(run, reason: "the server was shutting down", at: Date())
            return .shuttingDown
        }
        let done = await withTaskGroup(of: Bool.self) { group in
            group.addTask { for await _ in finished {}; return !Task.isCancelled }
            group.addTask { (try? await Task.sleep(for: wait)) == nil }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if done, let record = try await store.record(runId: run.id, supplierId: supplierId) {
            return .finished(record)
        }
        return .running(try await store.run(id: run.id) ?? run)
    }
}
