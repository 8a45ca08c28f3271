import CertWatchAccounts
import CertWatchGate
import CertWatchIntegrity
import CertWatchJobs
import CertWatchNotify
import CertWatchRequests
import CertWatchServer
import CertWatchStore
import Foundation
import Logging

extension AppDependencies {
    /// The composition root: every dependency `serve`, the CLI and the tests use, built once from
    /// the settings and an open database. Metrics are bootstrapped here, once per process.
    ///
    /// `integritySource` replaces the INTEGRITY sources the settings describe: `serve
    /// --sample-data` reads a file, tests point it at a double. Otherwise one rate limiter is
    /// shared by every verification of the process, as INTEGRITY's key is. `now` is the clock
    /// the gate, the stores and the page read: the real one but in tests.
    public static func live(settings: Settings, database: Database, logger: Logger,
                            integritySource: (@Sendable () async throws -> any IntegritySource)? = nil,
                            now: @escaping @Sendable () -> Date = Date.init) -> AppDependencies {
        AppMetrics.bootstrap()
        let limiter = RateLimiter(requestsPerHour: settings.integrityRequestsPerHour)
        let source = integritySource ?? { try await settings.integritySource(database: database, limiter: limiter, logger: logger) }
        let mailer = settings.smtpSettings.map(SMTPMailer.init(settings:))
        let requests = CertificateRequests(database: database, settings: settings.requests, mailer: mailer,
                                           publicURL: settings.httpPublicURL, pageURL: settings.pageURL, now: now)
        return AppDependencies(
            database: database, logger: logger, integritySource: source,
            purchaseGate: PurchaseGate(database: database, policy: settings.purchasePolicy, now: now),
            webhookDestinations: DestinationPolicy(allowPrivateNetworks: settings.webhooksAllowPrivateNetworks),
            webhookSecretOverlap: Settings.seconds(settings.webhooksSecretOverlap),
            scheduler: settings.scheduler(database: database, integritySource: source, certificateRequests: requests, logger: logger),
            documentMaxBytes: settings.documentMaxBytes, retention: settings.retention,
            accounts: Accounts(settings: settings.accounts, database: database,
                               mail: AccountMail(mailer: mailer),
                               pageURL: settings.pageURL, logger: logger, now: now),
            singleSignOn: settings.accounts.singleSignOn.map { SingleSignOn(settings: $0, pageURL: settings.pageURL, now: now) },
            certificateRequests: requests, now: now)
    }
}
