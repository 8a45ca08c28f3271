import CertWatchStore
import Foundation

extension VerificationJob {
    /// Runs `work` (a verification of run `runId` that is not a job run: *Verify now*, `certwatch
    /// verify SUPPLIER`) while renewing the run's own lease every third of `lease`. If the process
    /// dies, the lease runs out and any replica's scheduler closes the run as abandoned, so the
    /// run never reads `running` without a live lease. The run's row must exist. `clock` is what
    /// the renewal sleeps on and `now` the wall clock the lease is reckoned in (tests move both).
    public static func holdingLease<T: Sendable>(
        runId: String, database: Database, lease: TimeInterval, clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = Date.init, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let store = VerificationStore(database: database)
        try await store.renewLease(runId: runId, until: now().addingTimeInterval(lease))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                while (try? await clock.sleep(for: .seconds(lease / 3))) != nil {
                    try? await store.renewLease(runId: runId, until: now().addingTimeInterval(lease))
                }
                return nil
            }
            while let next = try await group.next() {
                if let value = next {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }
}
