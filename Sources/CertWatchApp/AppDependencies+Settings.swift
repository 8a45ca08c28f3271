import CertWatchIntegrity
import CertWatchJobs
import CertWatchNotify
import CertWatchServer
import CertWatchStore
import Foundation
import Logging

extension AppDependencies {
    /// The production wiring from settings: one rate limiter for the process's INTEGRITY key.
    public init(database: Database, logger: Logger, settings: Settings) {
        let limiter = RateLimiter(requestsPerHour: settings.integrityRequestsPerHour)
        self.init(database: database, logger: logger, policy: settings.purchasePolicy,
                  webhookDestinations: DestinationPolicy(allowPrivateNetworks: settings.webhooksAllowPrivateNetworks),
                  webhookSecretOverlap: TimeInterval(settings.webhooksSecretOverlapHours * 3_600)) {
            try await settings.integritySource(database: database, limiter: limiter, logger: logger)
        }
        scheduler = settings.scheduler(self)
    }
}
