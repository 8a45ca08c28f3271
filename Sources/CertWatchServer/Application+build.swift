import CertWatchCore
import CertWatchIntegrity
import CertWatchStore
import Hummingbird
import Logging

/// Everything a running server needs, built once at start-up and passed in.
public struct AppDependencies: Sendable {
    public var database: Database
    public var logger: Logger
    /// Builds the INTEGRITY source for one verification: its state (last sync, last bulk size)
    /// is read when the verification starts.
    public var integritySource: @Sendable () async throws -> any IntegritySource
    /// One per process: its audit log batches concurrent checks into one commit.
    public var purchaseGate: PurchaseGate

    public init(
        database: Database, logger: Logger, policy: PurchasePolicy = PurchasePolicy(),
        integritySource: @escaping @Sendable () async throws -> any IntegritySource
    ) {
        self.database = database
        self.logger = logger
        self.integritySource = integritySource
        self.purchaseGate = PurchaseGate(database: database, log: PurchaseCheckLog(database: database), policy: policy)
    }

    /// The production wiring from settings: one rate limiter for the process's INTEGRITY key.
    public init(database: Database, logger: Logger, settings: Settings) {
        let limiter = RateLimiter(requestsPerHour: settings.integrityRequestsPerHour)
        self.init(database: database, logger: logger, policy: settings.purchasePolicy) {
            try await settings.integritySource(database: database, limiter: limiter, logger: logger)
        }
    }
}

/// Builds the router: open operations routes at the root, keyed `/v1` routes behind the authenticator.
public func buildRouter(_ deps: AppDependencies) -> Router<AppRequestContext> {
    AppMetrics.bootstrap()
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    OperationsRoutes(database: deps.database).register(on: router)
    let v1 = router.group("v1").add(middleware: APIKeyAuthenticator(keys: APIKeyStore(database: deps.database)))
    SupplierRoutes(
        suppliers: SupplierStore(database: deps.database),
        importer: SupplierImporter(database: deps.database),
        verifications: VerificationStore(database: deps.database)
    ).register(on: v1)
    VerificationRoutes(deps: deps).register(on: v1)
    AlertRoutes(alerts: AlertStore(database: deps.database)).register(on: v1)
    PurchaseCheckRoutes(gate: deps.purchaseGate, checks: PurchaseCheckStore(database: deps.database)).register(on: v1)
    return router
}

/// The HTTP application on `http.host`:`http.port`.
public func buildApplication(_ deps: AppDependencies, settings: Settings) -> some ApplicationProtocol {
    Application(
        router: buildRouter(deps),
        configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: "CertWatch"),
        logger: deps.logger)
}
