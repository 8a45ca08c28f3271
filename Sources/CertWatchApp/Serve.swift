import CertWatchIntegrity
import CertWatchJobs
import CertWatchRequests
import CertWatchServer
import CertWatchStore
import CertWatchWeb
import Foundation
import Logging
import ServiceLifecycle

/// The composition root of `certwatch serve`: from the settings and an open database it builds
/// the INTEGRITY sources, the purchase gate, the scheduler and its jobs, the delivery worker and
/// the HTTP application, and runs them as one service group until SIGTERM or SIGINT.
public enum Serve {
    /// Runs until shutdown. Past `shutdown.graceSeconds`, graceful shutdown becomes cancellation,
    /// so the process always ends; the database (the caller's) closes after the group.
    public static func run(settings: Settings, database: Database, logger: Logger, integrityFile: URL? = nil) async throws {
        let worker = settings.deliveryWorker(database: database, logger: logger)
        let deps = AppDependencies.live(settings: settings, database: database, logger: logger,
                                        integritySource: integrityFile.map { file in { @Sendable in settings.integrityFileSource(file) } })
        let pages = try await WebPages(deps: deps, settings: settings.web, exportSupplier: { id in
            try await AuditExport(database: database).zip(supplierId: id)
        })
        let app = buildApplication(deps, host: settings.httpHost, port: settings.httpPort, idleTimeout: settings.httpIdleTimeout,
                                   services: [worker, deps.scheduler], addRoutes: pages.register)
        logger.info("CertWatch serving on http://\(settings.httpHost):\(settings.httpPort) with \(settings.databaseURL); web page \(settings.pageURL)")
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = settings.shutdownGrace
        try await ServiceGroup(configuration: group).run()
    }
}

extension Settings {
    /// What the web page reads from the settings.
    var web: WebSettings {
        WebSettings(sessionIdle: webSessionIdle, sessionLifetime: webSessionLifetime,
                    alwaysSecureCookies: httpPublicURL?.lowercased().hasPrefix("https:") ?? false,
                    timeZone: scheduleTimeZone, maxVerificationAgeDays: maxVerificationAgeDays, keySignIn: webKeySignIn,
                    trustedProxies: Set(httpTrustedProxies), importLimits: importLimits)
    }

    /// Ticks often enough that the shortest cadence starts within a quarter of its interval.
    func scheduler(database: Database, integritySource: @escaping @Sendable () async throws -> any IntegritySource,
                   certificateRequests: CertificateRequests, logger: Logger) -> Scheduler {
        Scheduler(jobs: scheduledJobs(database: database, integritySource: integritySource, certificateRequests: certificateRequests,
                                      logger: logger), database: database,
                  owner: Settings.replicaName, lease: Settings.seconds(jobLease), tick: min(.seconds(5), alertScanInterval / 4), logger: logger)
    }
}
