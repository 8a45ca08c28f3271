import CertWatchIntegrity
import CertWatchJobs
import CertWatchRequests
import CertWatchStore
import Logging

extension Settings {
    /// The scheduled jobs with this configuration's times and thresholds; certificate requests'
    /// every 15 minutes (reminders are counted in days, and the job must not crowd the alert
    /// scan when its interval is short).
    static let certificateRequestsIntervalSeconds = 900

    public func scheduledJobs(database: Database, integritySource: @escaping @Sendable () async throws -> any IntegritySource,
                              certificateRequests: CertificateRequests, logger: Logger) -> [ScheduledJob] {
        let interval = Int(alertScanInterval.components.seconds)
        return ScheduledJobs.make(database: database, integritySource: integritySource, logger: logger,
                                  nightlyAt: nightlyAt, zone: scheduleTimeZone, alertScanIntervalSeconds: interval,
                                  alertThresholdDays: alertThresholdDays,
                                  auditSeal: auditCheckpointKey.map { ($0, Int(auditCheckpointInterval.components.seconds)) })
            + [ScheduledJob(name: JobName.certificateRequests.rawValue, cadence: .every(seconds: Self.certificateRequestsIntervalSeconds)) { _ in
                try JobSummary.json(["certificateRequests": JobSummary.Counts(try await certificateRequests.runDue().counts)])
            }]
    }
}
