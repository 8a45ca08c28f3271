import CertWatchIntegrity
import CertWatchJobs
import CertWatchRequests
import CertWatchStore
import Logging

extension Settings {
    /// The scheduled jobs with this configuration's times and thresholds, and certificate
    /// requests' every 15 minutes (reminders are counted in days) once `requests.handlerName` is
    /// set: without it no request can be made, so there is nothing to expire or remind.
    static let certificateRequestsIntervalSeconds = 900

    public func scheduledJobs(database: Database, integritySource: @escaping @Sendable () async throws -> any IntegritySource,
                              certificateRequests: CertificateRequests, logger: Logger) -> [ScheduledJob] {
        let jobs = ScheduledJobs.make(database: database, integritySource: integritySource, logger: logger,
                                      nightlyAt: nightlyAt, zone: scheduleTimeZone, alertScanIntervalSeconds: Int(alertScanInterval.components.seconds),
                                      alertThresholdDays: alertThresholdDays,
                                      auditSeal: auditCheckpointKey.map { ($0, Int(auditCheckpointInterval.components.seconds)) })
        guard requests.handlerName != nil else { return jobs }
        return jobs + [ScheduledJob(name: JobName.certificateRequests.rawValue, cadence: .every(seconds: Self.certificateRequestsIntervalSeconds)) { _ in
            try JobSummary.json(["certificateRequests": JobSummary.Counts(try await certificateRequests.runDue().counts)])
        }]
    }
}
