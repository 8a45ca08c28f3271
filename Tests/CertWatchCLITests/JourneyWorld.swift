import AsyncHTTPClient
import CertWatchCore
import CertWatchTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Everything a journey drives, all real and on loopback: the built `certwatch serve` on a fresh
/// database (started first, before any data, as a new installation is), the INTEGRITY double,
/// an SMTP server (aiosmtpd), a webhook receiver checking signatures with `standardwebhooks`,
/// and the CLI against the same database with the same configuration.
struct JourneyWorld: Sendable {
    let db: String
    let double: IntegrityDouble
    let smtp: SMTPSink
    let receiver: WebhookReceiver
    let server: ServeProcess
    let environment: [String: String]
    /// An admin key, created with the CLI once the service runs.
    let key: String

    static let recipient = "compliance@example.org"

    /// Starts the world on `backend`. `sources` sets `integrity.sources`; `nightlyAt` the nightly
    /// time (UTC) when a journey waits for a scheduled run.
    static func with(_ backend: Backend, sources: String? = nil, nightlyAt: String? = nil,
                     _ body: (JourneyWorld) async throws -> Void) async throws {
        let db = try await CLI.databaseArgument(backend)
        try await IntegrityDouble.with { double in
            try await SMTPSink.with { smtp in
                try await WebhookReceiver.with { receiver in
                    var environment = [
                        "INTEGRITY_WEB_SERVICE_URL": double.webServiceURL, "INTEGRITY_BULK_URL": double.newerBulkURL,
                        "INTEGRITY_API_KEY": "journey-key", "SMTP_URL": "smtp://127.0.0.1:\(smtp.port)", "SMTP_FROM": "certwatch@example.org",
                        "ALERTS_RECIPIENTS": recipient, "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true", "SCHEDULE_TIME_ZONE": "UTC",
                        "LOG_LEVEL": "warning",
                    ]
                    if let sources { environment["INTEGRITY_SOURCES"] = sources }
                    if let nightlyAt { environment["SCHEDULE_NIGHTLY_AT"] = nightlyAt }
                    try await ServeProcess.with(db, environment: environment) { server in
                        let created = try await CLI.run(["keys", "create", "--name", "journey", "--role", "admin", "--database-url", db],
                                                        environment: environment)
                        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                        try #require(created.status == 0 && !key.isEmpty, "\(created.stderr)")
                        try await body(JourneyWorld(db: db, double: double, smtp: smtp, receiver: receiver, server: server,
                                                    environment: environment, key: key))
                    }
                }
            }
        }
    }

    /// `certwatch ARGUMENTS --database-url DB`, configured as the service is (plus `extra`).
    func cli(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> CLI.Result {
        try await CLI.run(arguments + ["--database-url", db], environment: environment.merging(extra) { $1 })
    }

    /// The nightly verification's last run as `GET /v1/jobs` shows it, once it has finished.
    func finishedNightly(where accept: @escaping ([String: Any]) -> Bool = { _ in true }, deadline: Duration = .seconds(120)) async throws -> [String: Any] {
        try await eventually("the nightly verification to finish", deadline: deadline, every: .milliseconds(250)) {
            let jobs = (try? await server.get("/v1/jobs", key: key))?["items"] as? [[String: Any]] ?? []  // nil until it listens
            let run = jobs.first { $0["name"] as? String == "verification" }?["lastRun"] as? [String: Any]
            guard let run, run["finishedAt"] is String, let slot = run["slot"] as? String, !slot.hasPrefix("manual"), accept(run) else { return nil }
            return run
        }
    }

    /// Registers the receiver for every alert type and trusts the secret CertWatch shows once.
    func subscribeWebhooks() async throws {
        let added = try await cli(["webhooks", "add", receiver.url, "--json"])
        let secret = try #require((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["secret"] as? String,
                                  "\(added.stdout)\(added.stderr)")
        try await receiver.trust([secret])
    }

    /// Imports suppliers as a person's spreadsheet has them: a name and a NOP ID, nothing else.
    func importSuppliers(_ operations: [[String: Any]]) async throws {
        let csv = "name,nop_operation_id\n" + operations.map { "\"\($0["op_name"] as? String ?? "")\",\($0["op_nopOpID"] as? String ?? "")\n" }.joined()
        let imported = try await cli(["suppliers", "import", try CLI.writeTemporary(csv)])
        try #require(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
    }

    /// Every supplier as the API shows it, by NOP ID.
    func suppliersByNOPID() async throws -> [String: [String: Any]] {
        let items = try await server.get("/v1/suppliers?limit=100", key: key)["items"] as? [[String: Any]] ?? []
        return Dictionary(items.compactMap { item in (item["nopOperationId"] as? String).map { ($0, item) } }, uniquingKeysWith: { $1 })
    }

    /// A purchase check through the API: the decision and the reason codes.
    func check(_ nop: String, _ product: String) async throws -> (decision: String, codes: [String]) {
        let answer = try await server.post("/v1/purchase-checks", key: key, json: #"{"nopOperationId": "\#(nop)", "product": "\#(product)"}"#)
        let codes = (answer["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        return (answer["decision"] as? String ?? "none: \(answer)", codes)
    }

    /// The alerts of one type, newest first.
    func alerts(_ type: String) async throws -> [[String: Any]] {
        try await server.get("/v1/alerts?type=\(type)&limit=100", key: key)["items"] as? [[String: Any]] ?? []
    }

    /// A certified operation's first certified product.
    static func product(of operation: [String: Any]) -> String {
        (operation["items"] as? [[String: Any]])?.first?["ci_itemList"] as? String ?? "none"
    }
}

/// A browser's view of the web page over real HTTP: it keeps the session cookie, reads the form
/// token from each page, and does not follow redirects (it reads where they point).
final class PageSession: Sendable {
    private let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    private let base: String
    private let cookie = Mutex<String?>(nil)

    struct Page {
        var status: Int
        var location: String?
        var html: String
        var csrf: String? { html.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/).map { String($0.output.1) } }
    }

    private init(port: Int) {
        base = "http://127.0.0.1:\(port)"
    }

    /// Signs in with `key` on the page, runs `body`, and closes the client.
    static func with<T: Sendable>(_ server: ServeProcess, key: String, _ body: (PageSession) async throws -> T) async throws -> T {
        let session = PageSession(port: server.port)
        do {
            let signedIn = try await session.post("/sign-in", ["key": key])
            try #require(signedIn.status == 303, "sign-in answered \(signedIn.status)")
            let value = try await body(session)
            try await session.client.shutdown()
            return value
        } catch {
            try? await session.client.shutdown()
            throw error
        }
    }

    func get(_ path: String) async throws -> Page {
        try await send(HTTPClientRequest(url: base + path))
    }

    func post(_ path: String, _ fields: [String: String]) async throws -> Page {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        var components = URLComponents()
        components.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        request.body = .bytes(ByteBuffer(string: (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> Page {
        var request = request
        if let cookie = cookie.withLock({ $0 }) { request.headers.add(name: "Cookie", value: cookie) }
        let response = try await client.execute(request, timeout: .seconds(60))
        for header in response.headers["Set-Cookie"] where header.hasPrefix("certwatch_session=") {
            cookie.withLock { $0 = String(header.prefix { $0 != ";" }) }
        }
        let body = try await response.body.collect(upTo: 8 << 20)
        return Page(status: Int(response.status.code), location: response.headers.first(name: "Location"), html: String(buffer: body))
    }
}
