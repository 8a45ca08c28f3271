import CertWatchCore
import CertWatchDocuments
import CertWatchGate
import CertWatchIntegrity
import CertWatchJobs
import CertWatchNotify
import Foundation
import CertWatchStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything a running server needs, built once at start-up and passed in.
public struct AppDependencies: Sendable {
    public var database: Database
    public var logger: Logger
    /// Builds the INTEGRITY source for one verification: its state (last sync, last bulk size)
    /// is read when the verification starts.
    public var integritySource: @Sendable () async throws -> any IntegritySource
    /// One per process: its audit log batches concurrent checks into one commit.
    public var purchaseGate: PurchaseGate
    /// Which webhook URLs may be registered.
    public var webhookDestinations: DestinationPolicy
    /// How long a rotated-out webhook secret keeps signing.
    public var webhookSecretOverlap: TimeInterval
    /// Runs the scheduled jobs; `POST /v1/jobs/{name}/run` uses it. Nil: no job routes.
    public var scheduler: Scheduler?
    /// Work requests start and do not wait for; the application's service group runs it.
    public let background: BackgroundWork
    /// `documents.maxBytes`: the largest document an upload may be.
    public var documentMaxBytes = 20 << 20
    /// `retention.years`: how long documents on file are kept before a delete is allowed.
    public var retention = RetentionPeriod(years: RetentionPeriod.minimumYears)!

    public init(
        database: Database, logger: Logger, policy: PurchasePolicy = PurchasePolicy(),
        webhookDestinations: DestinationPolicy = DestinationPolicy(allowPrivateNetworks: false),
        webhookSecretOverlap: TimeInterval = 86_400,
        integritySource: @escaping @Sendable () async throws -> any IntegritySource
    ) {
        self.database = database
        self.logger = logger
        self.integritySource = integritySource
        self.purchaseGate = PurchaseGate(database: database, policy: policy)
        self.webhookDestinations = webhookDestinations
        self.webhookSecretOverlap = webhookSecretOverlap
        self.background = BackgroundWork(logger: logger)
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
    DocumentRoutes(documents: DocumentStore(database: deps.database), review: DocumentReview(database: deps.database), suppliers: SupplierStore(database: deps.database),
                   maxBytes: deps.documentMaxBytes, retention: RetentionStore(database: deps.database, period: deps.retention)).register(on: v1)
    PurchaseCheckRoutes(gate: deps.purchaseGate, checks: PurchaseCheckStore(database: deps.database)).register(on: v1)
    ImportCertificateRoutes(certificates: ImportCertificateStore(database: deps.database), suppliers: SupplierStore(database: deps.database),
                            documents: DocumentStore(database: deps.database)).register(on: v1)
    WebhookRoutes(endpoints: WebhookEndpointStore(database: deps.database), outbox: DeliveryStore(database: deps.database),
                  policy: deps.webhookDestinations, secretOverlap: deps.webhookSecretOverlap).register(on: v1)
    if let scheduler = deps.scheduler {
        JobRoutes(scheduler: scheduler, background: deps.background, cadences: Dictionary(uniqueKeysWithValues: scheduler.jobs.map { ($0.name, $0.cadence) }),
                  runs: JobRunStore(database: deps.database), outbox: DeliveryStore(database: deps.database)).register(on: v1)
    }
    return router
}

/// The HTTP application on `host`:`port`, running `services` (the workers) and the
/// background work requests start in its service group, so they start and stop with it.
/// `addRoutes` adds more route groups to the API's router (the web page).
/// `idleTimeout` closes a connection with no request under way, and one whose client never
/// finishes sending its headers, so idle or half-open connections cannot pile up.
public func buildApplication(_ deps: AppDependencies, host: String, port: Int, idleTimeout: Duration = .seconds(30),
                             services: [any Service] = [],
                             addRoutes: (Router<AppRequestContext>) -> Void = { _ in }) -> some ApplicationProtocol {
    let router = buildRouter(deps)
    addRoutes(router)
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(idleTimeout.components.seconds))),
        configuration: .init(address: .hostname(host, port: port), serverName: "CertWatch"),
        services: services + [deps.background],
        logger: deps.logger)
}
