import CertWatchJobs
import CertWatchServer

extension Settings {
    /// The scheduled jobs with this configuration's times and thresholds.
    public func scheduledJobs(_ deps: AppDependencies) -> [ScheduledJob] {
        ScheduledJobs.make(database: deps.database, integritySource: deps.integritySource, logger: deps.logger,
                           nightlyAt: nightlyAt, zone: scheduleTimeZone, alertScanIntervalSeconds: Int(alertScanInterval.components.seconds),
                           alertThresholdDays: alertThresholdDays,
                           auditSeal: auditCheckpointKey.map { ($0, Int(auditCheckpointInterval.components.seconds)) })
    }
}
