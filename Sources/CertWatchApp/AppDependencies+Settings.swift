import CertWatchIntegrity
import CertWatchJobs
import CertWatchNotify
import CertWatchServer
import CertWatchStore
import Foundation
import Logging

extension AppDependencies {
    /// The production wiring from settings: one rate limiter for the process's INTEGRITY key.
    /// With `integrityFile` every verification reads that file instead of asking INTEGRITY (the
    /// offline demo of `serve --sample-data`).
    public init(database: Database, logger: Logger, settings: Settings, integrityFile: URL? = nil) {
        let limiter = RateLimiter(requestsPerHour: settings.integrityRequestsPerHour)
        self.init(database: database, logger: logger, policy: settings.purchasePolicy,
                  webhookDestinations: DestinationPolicy(allowPrivateNetworks: settings.webhooksAllowPrivateNetworks),
                  webhookSecretOverlap: Settings.seconds(settings.webhooksSecretOverlap)) {
            if let integrityFile { return settings.integrityFileSource(integrityFile) }
            return try await settings.integritySource(database: database, limiter: limiter, logger: logger)
        }
        documentMaxBytes = settings.documentMaxBytes
        retention = settings.retention
        scheduler = settings.scheduler(self)
    }
}
