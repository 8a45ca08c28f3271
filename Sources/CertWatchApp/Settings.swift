import CertWatchAccounts
import CertWatchRequests
import CertWatchCore
import CertWatchIntegrity
import CertWatchNotify
import CertWatchStore
import Foundation
import CertWatchWeb
import Logging

/// Every configuration key CertWatch reads, with its default. `Config/certwatch.yaml` documents
/// the same keys; `Settings.load` reads them from the command line, the environment and a file.
public struct Settings: Sendable, Equatable {
    /// `http.host` (HTTP_HOST)
    public var httpHost = "127.0.0.1"
    /// `http.port` (HTTP_PORT)
    public var httpPort = 8080
    /// `http.publicUrl` (HTTP_PUBLIC_URL): where people open the web page, e.g. behind a proxy;
    /// an https URL makes the session cookie `Secure`
    public var httpPublicURL: String?
    /// `web.sessionIdleMinutes`: a web session unused this long ends
    public var webSessionIdle = Duration.seconds(60 * 60)
    /// `web.sessionMaxHours`: a web session ends this long after sign-in however it is used
    public var webSessionLifetime = Duration.seconds(12 * 60 * 60)
    /// `database.url` (DATABASE_URL)
    public var databaseURL = DatabaseURL.sqlite(path: "./data/certwatch.sqlite")
    /// `integrity.webServiceUrl` (INTEGRITY_WEB_SERVICE_URL): the web service's `…/rest` root
    public var integrityWebServiceURL = IntegrityEndpoints.defaultWebServiceURL
    /// `integrity.bulkUrl` (INTEGRITY_BULK_URL): the whole download, any path
    public var integrityBulkURL = IntegrityEndpoints.defaultBulkURL
    /// `integrity.baseUrl` (INTEGRITY_BASE_URL), the older form: when set, the two URLs above
    /// default to its `/rest` and `/rest/GetAllOperationsPublicData`; set either URL to override
    public var integrityBaseURL: String?
    /// `integrity.apiKey` (INTEGRITY_API_KEY), secret
    public var integrityAPIKey: String?
    /// `integrity.requestsPerHour`
    public var integrityRequestsPerHour = 1_000
    /// `integrity.sources`: which sources verification asks, in fallback order (`bulk`,
    /// `web-service`). The bulk download first: one request a night, complete, and what public
    /// loaders relied on in 2026; the web-service delta answers when it fails (docs/integrity.md).
    public var integritySources: [IntegritySourceName] = [.bulk, .webService]
    /// `integrity.completeSyncDays`: with a "changed since" source first, a complete source is
    /// asked first when the last complete sync is this many days old (only it shows disappearances)
    public var integrityCompleteSyncDays = 7
    /// `integrity.minBulkRatio`: a bulk download smaller than this share of the last accepted one
    /// is refused as broken.
    public var integrityMinBulkRatio = 0.5
    /// `integrity.maxUnknownStatusShare`: more than this share of an answer's operations with
    /// statuses outside INTEGRITY's known list refuses the answer (fewer are recorded as written)
    public var integrityMaxUnknownStatusShare = StatusCensus.defaultMaxShare
    /// `imports.maxUncompressedMegabytes` and `imports.maxCompressionRatio`: how far one entry of
    /// a zip from outside (bulk download, imported file, workbook) may inflate, in all and per
    /// stored byte, before it is refused as a zip bomb
    public var importLimits = ZipLimits.standard
    /// `http.idleTimeoutSeconds`: a connection with no request under way (or one that never
    /// finishes its headers) is closed after this long
    public var httpIdleTimeout = Duration.seconds(30)
    /// `smtp.url` (SMTP_URL): `smtp://host:port` or `smtps://host:port`
    public var smtpURL: String?
    /// `smtp.from`
    public var smtpFrom: String?
    /// `smtp.username`
    public var smtpUsername: String?
    /// `smtp.password`, secret
    public var smtpPassword: String?
    /// `smtp.starttls`: `required`, `opportunistic` or `off` (for `smtp://`; `smtps://` is TLS from the start)
    public var smtpStartTLS = SMTPSettings.StartTLS.opportunistic
    /// `smtp.caFile`: PEM file of the certificate authorities that may sign the SMTP server's certificate
    public var smtpCAFile: String?
    /// `schedule.nightlyAt`
    public var nightlyAt = TimeOfDay(hour: 2, minute: 30)!
    /// `schedule.timeZone` (IANA), parsed once when the settings load
    public var scheduleTimeZone = TimeZone(identifier: "UTC")!
    /// `schedule.alertScanIntervalSeconds`: how often the alert scan runs besides after each verification
    public var alertScanInterval = Duration.seconds(3_600)
    /// `schedule.leaseSeconds`: how long a replica holds a job run without renewing it; another
    /// replica takes over a run whose lease ran out
    public var jobLease = Duration.seconds(60)
    /// `shutdown.graceSeconds`: how long SIGTERM waits for requests and work in flight before
    /// cancelling them, so the process always ends within it
    public var shutdownGrace = Duration.seconds(20)
    /// `alerts.thresholdDays`
    public var alertThresholdDays = [60, 30, 7, 1]
    /// `alerts.recipients` (ALERTS_RECIPIENTS, comma-separated)
    public var alertRecipients: [String] = []
    /// `alerts.digestAt`
    public var digestAt = TimeOfDay(hour: 7, minute: 0)!
    /// `webhooks.allowPrivateNetworks` (WEBHOOKS_ALLOW_PRIVATE_NETWORKS)
    public var webhooksAllowPrivateNetworks = false
    /// `webhooks.retryDelaysSeconds`: waits between attempts (±10% jitter); after the last, a delivery fails
    public var webhooksRetryDelays = RetrySchedule.standardDelays
    /// `email.retryDelaysSeconds`: the same for alert emails
    public var emailRetryDelays = RetrySchedule.standardDelays
    /// `log.level` (LOG_LEVEL): `trace`, `debug`, `info`, `notice`, `warning`, `error` or
    /// `critical`; unset, `serve` logs at `info` and the other commands at `warning`
    public var logLevel: Logger.Level?
    /// `webhooks.secretOverlapHours`: how long a rotated-out secret keeps signing
    public var webhooksSecretOverlap = Duration.seconds(24 * 3_600)
    /// `delivery.leaseSeconds`: how long a claimed delivery is reserved for the replica sending it;
    /// keep it above the 15 s send timeout
    public var deliveryLease = Duration.seconds(60)
    /// `documents.maxBytes`: the largest document an upload may be (413 above it)
    public var documentMaxBytes = 20 << 20
    /// `audit.checkpointKey` (AUDIT_CHECKPOINT_KEY), secret: seals the purchase-check chain's
    /// checkpoints; keep it out of the database and its backups. Unset: no checkpoints.
    public var auditCheckpointKey: AuditSealKey?
    /// `audit.previousCheckpointKeys` (AUDIT_PREVIOUS_CHECKPOINT_KEYS, comma-separated), secret: keys
    /// replaced by `audit.checkpointKey`, kept so `audit verify` accepts the checkpoints they sealed
    public var auditPreviousCheckpointKeys: [AuditSealKey] = []
    /// `audit.checkpointMinutes`: how often the chain's head is sealed (when it moved)
    public var auditCheckpointInterval = Duration.seconds(60 * 60)
    /// `retention.years`: documents, verifications and checks are kept this long (at least 5)
    public var retentionYears = RetentionPeriod.minimumYears
    /// `policy.maxVerificationAgeDays`
    public var maxVerificationAgeDays = 7
    /// `policy.anniversaryGraceDays`: days after a NOP anniversary date before checks go to review
    public var anniversaryGraceDays = 0
    /// `policy.requireCertificateOnFile`: checks of a supplier with no organic certificate on file go to review
    public var requireCertificateOnFile = false
    /// `policy.importCertificate`: what a check of an importing supplier without a NOP Import Certificate answers
    public var importCertificateRule = ImportCertificateRule.block
    /// `auth.*`: people's accounts (bcrypt cost, link lifetimes, password length, sign-in
    /// limits) and `auth.oidc.*`, single sign-on (Settings+Accounts.swift)
    public var accounts = AccountSettings()
    /// `http.trustedProxies`: addresses of the reverse proxies in front, whose `X-Forwarded-For`
    /// names the client (sign-in limits count per client address; without it, behind a proxy
    /// every client shares the proxy's address)
    public var httpTrustedProxies: [String] = []
    /// `requests.*`: certificate requests to suppliers (handler name, link days, upload limits)
    public var requests = RequestSettings()
    /// `web.keySignIn`: `auto` (the page offers sign-in with an API key only while no account is
    /// active), `on` or `off`
    public var webKeySignIn = KeySignIn.auto

    /// Whole seconds of a settings duration, as the APIs that count in `TimeInterval` take them.
    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds)
    }

    /// Where the web page is: `http.publicUrl`, else the address the server listens on.
    public var pageURL: String {
        httpPublicURL ?? "http://\(httpHost):\(httpPort)/"
    }

    /// The retention period `retention.years` describes (validated at load).
    public var retention: RetentionPeriod {
        RetentionPeriod(years: retentionYears) ?? RetentionPeriod(years: RetentionPeriod.minimumYears)!
    }

    /// The purchase policy these settings describe.
    public var purchasePolicy: PurchasePolicy {
        PurchasePolicy(maxVerificationAgeDays: maxVerificationAgeDays, anniversaryGraceDays: anniversaryGraceDays,
                       requireCertificateOnFile: requireCertificateOnFile, importCertificate: importCertificateRule)
    }

    public init() {}
}

/// A configuration value that cannot be used: start-up stops with this message.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    public var key: String
    public var message: String

    public var description: String { "configuration key \(key) (\(Settings.environmentName(of: key))): \(message)" }

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
}

extension Settings {
    /// The environment variable swift-configuration maps a key to (`integrity.baseUrl` → `INTEGRITY_BASE_URL`).
    public static func environmentName(of key: String) -> String {
        var name = ""
        var previous: Character?
        for character in key {
            if character == "." {
                name.append("_")
            } else {
                if let previous, previous.isLowercase, character.isUppercase { name.append("_") }
                name.append(contentsOf: character.uppercased())
            }
            previous = character
        }
        return name
    }
}

/// The INTEGRITY sources `integrity.sources` may name.
public enum IntegritySourceName: String, Sendable, CaseIterable {
    case webService = "web-service"
    case bulk
}
