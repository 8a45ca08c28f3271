import CertWatchAccounts
import CertWatchCore
import CertWatchDocuments
import CertWatchGate
import CertWatchIntegrity
import CertWatchJobs
import CertWatchNotify
import CertWatchRequests
import CertWatchStore
import Foundation
import Logging

/// Everything a running server needs, built once by the composition root
/// (`AppDependencies.live` in CertWatchApp, for `serve`, the CLI and the tests) and immutable
/// after: routes take their services from here and never build them from the database.
public struct AppDependencies: Sendable {
    public let database: Database
    public let logger: Logger
    /// Builds the INTEGRITY source for one verification: its state (last sync, last bulk size)
    /// is read when the verification starts.
    public let integritySource: @Sendable () async throws -> any IntegritySource
    /// One per process: its audit log batches concurrent checks into one commit.
    public let purchaseGate: PurchaseGate
    public let stores: Stores
    /// Registering webhook endpoints, rotating their secrets, testing them.
    public let webhooks: WebhookRegistry
    /// Runs the scheduled jobs, on their schedule and when started by hand.
    public let scheduler: Scheduler
    /// Work requests start and do not wait for; the application's service group runs it.
    public let background: BackgroundWork
    /// "Verify now" for one supplier, as background work the request waits for a while.
    public let verifyNow: VerifyNow
    /// `documents.maxBytes`: the largest document an upload may be.
    public let documentMaxBytes: Int
    /// People's accounts: invitations, passwords, two-step sign-in, the activity record.
    public let accounts: Accounts
    /// Single sign-on with the company's OpenID Connect provider, when `auth.oidc.issuer` is set.
    public let singleSignOn: SingleSignOn?
    /// Asking suppliers for their certificates (the page, the API and the CLI call it).
    public let certificateRequests: CertificateRequests
    /// The upload page a request's link opens, and what it files.
    public let supplierUploads: SupplierUploads
    /// The clock the stores and the page read (tests move it).
    public let now: @Sendable () -> Date

    public init(
        database: Database, logger: Logger, integritySource: @escaping @Sendable () async throws -> any IntegritySource,
        purchaseGate: PurchaseGate, webhookDestinations: DestinationPolicy, webhookSecretOverlap: TimeInterval,
        scheduler: Scheduler, documentMaxBytes: Int, retention: RetentionPeriod, accounts: Accounts, singleSignOn: SingleSignOn?,
        certificateRequests: CertificateRequests, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.now = now
        self.accounts = accounts
        self.singleSignOn = singleSignOn
        self.database = database
        self.logger = logger
        self.integritySource = integritySource
        self.purchaseGate = purchaseGate
        self.scheduler = scheduler
        self.documentMaxBytes = documentMaxBytes
        stores = Stores(database: database, retention: retention, now: now)
        webhooks = WebhookRegistry(endpoints: stores.webhookEndpoints, outbox: stores.deliveries, destinations: webhookDestinations,
                                   secretOverlap: webhookSecretOverlap)
        background = BackgroundWork(logger: logger)
        self.certificateRequests = certificateRequests
        supplierUploads = SupplierUploads(database: database, review: stores.documentReview, settings: certificateRequests.settings,
                                          maxBytes: documentMaxBytes, now: now)
        verifyNow = VerifyNow(database: database, integritySource: integritySource, background: background,
                              lease: scheduler.lease, logger: logger)
    }
}

/// The stores the routes use: one of each, over the one database.
public struct Stores: Sendable {
    public let apiKeys: APIKeyStore
    public let suppliers: SupplierStore
    public let importer: SupplierImporter
    public let verifications: VerificationStore
    public let integrityDirectory: IntegrityDirectoryStore
    public let alerts: AlertStore
    public let documents: DocumentStore
    public let documentReview: DocumentReview
    /// `retention.years`: how long documents on file are kept before a delete is allowed.
    public let retention: RetentionStore
    public let purchaseChecks: PurchaseCheckStore
    public let importCertificates: ImportCertificateStore
    public let webhookEndpoints: WebhookEndpointStore
    public let deliveries: DeliveryStore
    public let jobRuns: JobRunStore
    /// Who did what besides purchase checks: uploads, imports, verifications started by hand, keys.
    public let activity: ActivityLog

    init(database: Database, retention period: RetentionPeriod, now: @escaping @Sendable () -> Date) {
        apiKeys = APIKeyStore(database: database, now: now)
        activity = ActivityLog(database: database, now: now)
        suppliers = SupplierStore(database: database, now: now)
        importer = SupplierImporter(database: database, now: now)
        verifications = VerificationStore(database: database)
        integrityDirectory = IntegrityDirectoryStore(database: database)
        alerts = AlertStore(database: database)
        documents = DocumentStore(database: database, now: now)
        documentReview = DocumentReview(database: database, now: now)
        retention = RetentionStore(database: database, period: period, now: now)
        purchaseChecks = PurchaseCheckStore(database: database)
        importCertificates = ImportCertificateStore(database: database, now: now)
        webhookEndpoints = WebhookEndpointStore(database: database)
        deliveries = DeliveryStore(database: database)
        jobRuns = JobRunStore(database: database)
    }
}
