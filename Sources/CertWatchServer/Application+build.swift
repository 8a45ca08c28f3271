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

/// Builds the router: open operations routes at the root, keyed `/v1` routes behind the authenticator.
public func buildRouter(_ deps: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    OperationsRoutes(database: deps.database).register(on: router)
    let stores = deps.stores
    let v1 = router.group("v1").add(middleware: APIKeyAuthenticator(keys: stores.apiKeys))
    SupplierRoutes(suppliers: stores.suppliers, importer: stores.importer, verifications: stores.verifications,
                   activity: stores.activity).register(on: v1)
    VerificationRoutes(deps: deps).register(on: v1)
    AlertRoutes(alerts: stores.alerts).register(on: v1)
    DocumentRoutes(documents: stores.documents, review: stores.documentReview, suppliers: stores.suppliers,
                   maxBytes: deps.documentMaxBytes, retention: stores.retention, activity: stores.activity).register(on: v1)
    PurchaseCheckRoutes(gate: deps.purchaseGate, checks: stores.purchaseChecks).register(on: v1)
    ImportCertificateRoutes(certificates: stores.importCertificates, suppliers: stores.suppliers, documents: stores.documents,
                           activity: stores.activity).register(on: v1)
    WebhookRoutes(endpoints: stores.webhookEndpoints, outbox: stores.deliveries, registry: deps.webhooks).register(on: v1)
    UserRoutes(accounts: deps.accounts).register(on: v1)
    CertificateRequestRoutes(requests: deps.certificateRequests, suppliers: stores.suppliers).register(on: v1)
    JobRoutes(scheduler: deps.scheduler, background: deps.background,
              cadences: Dictionary(uniqueKeysWithValues: deps.scheduler.jobs.map { ($0.name, $0.cadence) }),
              runs: stores.jobRuns, outbox: stores.deliveries).register(on: v1)
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
