import CertWatchCore
import CertWatchJobs
import CertWatchStore
import Foundation
import Metrics

extension Settings {
    /// The scheduled jobs `certwatch serve` runs: the nightly verification (followed by an alert
    /// scan, so a lapse it found is alerted the same night) and the alert scan on its interval.
    /// Delivery and the daily digest are the delivery worker's, not slots.
    public func scheduledJobs(_ deps: AppDependencies) -> [ScheduledJob] {
        let zone = TimeZone(identifier: scheduleTimeZone) ?? .gmt
        let thresholds = alertThresholdDays
        let scan: @Sendable () async throws -> AlertScan.Summary = {
            let summary = try await AlertScan.run(database: deps.database, thresholdDays: thresholds)
            Counter(label: "certwatch_alerts_created_total").increment(by: summary.created)
            return summary
        }
        return [
            ScheduledJob(name: JobName.verification.rawValue, cadence: .daily(at: nightlyAt, zone: zone)) { run in
                // A run taken over from a crashed replica verifies only who is not verified yet.
                let remaining = run.attempts > 1 ? try await VerificationStore(database: deps.database).linkedNotVerified(since: run.startedAt) : nil
                // The verification run shares the job run's id: `POST /v1/verifications` answers it
                // before the run starts, and a run taken over continues the same record.
                let verification: VerificationRun
                do {
                    verification = try await VerificationJob.run(
                        source: try await deps.integritySource(), database: deps.database, supplierIds: remaining, runId: run.id,
                        logger: deps.logger)
                } catch {
                    var failed = VerificationRun(id: run.id, startedAt: run.startedAt, source: "pending")
                    failed.outcome = .rejected
                    failed.reason = "\(error)"
                    failed.finishedAt = Date()
                    try? await VerificationStore(database: deps.database).save(failed)
                    throw error
                }
                Counter(label: "certwatch_suppliers_verified_total")
                    .increment(by: verification.verified + verification.changed + verification.notFound + verification.failed)
                return try JobSummary.json(["verification": JobSummary.Counts(verification), "alertScan": JobSummary.Counts(try await scan())])
            },
            ScheduledJob(name: JobName.alertScan.rawValue, cadence: .every(seconds: alertScanIntervalSeconds)) { _ in
                try JobSummary.json(["alertScan": JobSummary.Counts(try await scan())])
            },
        ]
    }
}

/// The jobs operators see in `GET /v1/jobs` and `certwatch jobs`.
public enum JobName: String, CaseIterable, Sendable {
    case verification
    case alertScan = "alert-scan"
    case delivery
    case digest
}

/// A run's counts, as stored in `job_runs.summary` and shown by `GET /v1/jobs`.
enum JobSummary {
    struct Counts: Encodable {
        var values: [String: Int]

        init(_ run: VerificationRun) {
            values = ["verified": run.verified, "changed": run.changed, "notFound": run.notFound, "failed": run.failed]
        }

        init(_ scan: AlertScan.Summary) {
            values = ["scanned": scan.scanned, "created": scan.created, "withdrawn": scan.withdrawn]
        }

        func encode(to encoder: any Encoder) throws {
            try values.encode(to: encoder)
        }
    }

    static func json(_ parts: [String: Counts]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(parts), as: UTF8.self)
    }
}
