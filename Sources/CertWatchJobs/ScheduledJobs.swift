import CertWatchCore
import CertWatchIntegrity
import CertWatchStore
import Foundation
import Logging
import Metrics

/// The scheduled jobs `certwatch serve` runs: the nightly verification (followed by an alert
/// scan, so a lapse it found is alerted the same night), the alert scan on its interval, and
/// with a checkpoint key the audit chain's seal on its interval.
/// Delivery and the daily digest are the delivery worker's, not slots.
public enum ScheduledJobs {
    public static func make(
        database: Database, integritySource: @escaping @Sendable () async throws -> any IntegritySource, logger: Logger,
        nightlyAt: TimeOfDay, zone: TimeZone, alertScanIntervalSeconds: Int, alertThresholdDays: [Int],
        auditSeal: (key: AuditSealKey, intervalSeconds: Int)? = nil
    ) -> [ScheduledJob] {
        let scan: @Sendable () async throws -> AlertScan.Summary = {
            let summary = try await AlertScan.run(database: database, thresholdDays: alertThresholdDays)
            Counter(label: "certwatch_alerts_created_total").increment(by: summary.created)
            return summary
        }
        let sealing = auditSeal.map { seal in
            ScheduledJob(name: JobName.auditCheckpoint.rawValue, cadence: .every(seconds: seal.intervalSeconds)) { _ in
                try JobSummary.json(["auditCheckpoint": JobSummary.Counts(
                    sealed: try await AuditSealing.sealHead(database: database, key: seal.key, logger: logger))])
            }
        }
        return [
            ScheduledJob(name: JobName.verification.rawValue, cadence: .daily(at: nightlyAt, zone: zone)) { run in
                let verification = try await nightlyVerification(run, database: database, source: integritySource, logger: logger)
                return try JobSummary.json(["verification": JobSummary.Counts(verification), "alertScan": JobSummary.Counts(try await scan())])
            },
            ScheduledJob(name: JobName.alertScan.rawValue, cadence: .every(seconds: alertScanIntervalSeconds)) { _ in
                try JobSummary.json(["alertScan": JobSummary.Counts(try await scan())])
            },
        ] + (sealing.map { [$0] } ?? [])
    }

    /// One verification run of the whole registry. The verification run shares the job run's id:
    /// `POST /v1/verifications` answers it before the run starts, and a run taken over from a
    /// crashed replica continues the same record, verifying only who is not verified yet.
    static func nightlyVerification(
        _ run: JobRun, database: Database, source: @Sendable () async throws -> any IntegritySource, logger: Logger
    ) async throws -> VerificationRun {
        let store = VerificationStore(database: database)
        let remaining = run.attempts > 1 ? try await store.linkedNotVerified(since: run.startedAt) : nil
        let earlier = run.attempts > 1 ? try await store.run(id: run.id) : nil
        let verification: VerificationRun
        do {
            verification = try await VerificationJob.run(
                source: try await source(), database: database, supplierIds: remaining, runId: run.id, continuing: earlier, logger: logger)
        } catch is CancellationError {
            throw CancellationError()  // shutdown: the scheduler releases the run for another replica
        } catch {
            try? await store.saveRejected(VerificationRun(id: run.id, startedAt: run.startedAt, source: "pending"),
                                          reason: "\(error)", at: Date())
            throw error
        }
        Counter(label: "certwatch_suppliers_verified_total")
            .increment(by: verification.verified + verification.changed + verification.notFound + verification.failed)
        return verification
    }
}
