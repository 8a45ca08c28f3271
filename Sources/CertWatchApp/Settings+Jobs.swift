import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import Logging

extension Settings {
    /// The scheduled jobs with this configuration's times and thresholds.
    public func scheduledJobs(database: Database, integritySource: @escaping @Sendable () async throws -> any IntegritySource,
                              logger: Logger) -> [ScheduledJob] {
        ScheduledJobs.make(database: database, integritySource: integritySource, logger: logger,
                           nightlyAt: nightlyAt, zone: scheduleTimeZone, alertScanIntervalSeconds: Int(alertScanInterval.components.seconds),
                           alertThresholdDays: alertThresholdDays,
                           auditSeal: auditCheckpointKey.map { ($0, Int(auditCheckpointInterval.components.seconds)) })
    }
}
