import CertWatchIntegrity
import CertWatchJobs
import CertWatchNotify
import CertWatchApp
import CertWatchServer
import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A router-level test server on a fresh database, with one admin and one purchaser key.
struct TestServer {
    let client: any TestClientProtocol
    let database: Database
    let admin: String
    let purchaser: String

    /// Built by the composition root (`AppDependencies.live`) from default settings that
    /// `settings` may change; webhook endpoints on loopback are allowed unless it says otherwise.
    /// `integrityBaseURL` points verification at an INTEGRITY double; by default nothing answers there.
    static func run(
        _ backend: Backend, integrityBaseURL: String = "http://127.0.0.1:9/none", settings configure: (inout Settings) -> Void = { _ in },
        _ body: @escaping @Sendable (TestServer) async throws -> Void
    ) async throws {
        var settings = Settings()
        settings.webhooksAllowPrivateNetworks = true
        configure(&settings)
        try await withTestDatabase(backend) { database in
            let keys = APIKeyStore(database: database)
            let admin = try await keys.create(name: "admin", role: .admin).secret
            let purchaser = try await keys.create(name: "buyer", role: .purchaser).secret
            let logger = Logger(label: "test")
            let http = IntegrityHTTP(apiKey: nil, limiter: RateLimiter(requestsPerHour: 1_000),
                                     retry: .init(attempts: 2, baseDelay: .milliseconds(10)), timeout: .seconds(3), logger: logger)
            let deps = AppDependencies.live(settings: settings, database: database, logger: logger) {
                BulkDownloadSource(http: http, url: IntegrityEndpoints(baseURL: integrityBaseURL).bulkURL, minimumBytes: try await VerificationJob.minimumBulkBytes(database: database, ratio: 0.5))
            }
            let app = buildApplication(deps, host: "127.0.0.1", port: 0)
            try await app.test(.router) { client in
                try await body(TestServer(client: client, database: database, admin: admin, purchaser: purchaser))
            }
        }
    }

    /// Sends a request and returns status, headers and the body parsed as JSON (nil if empty).
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, key: String?, json: String? = nil, body: [UInt8]? = nil,
        contentType: String = "application/json"
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        let bytes = json.map { Array($0.utf8) } ?? body
        if bytes != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }) { response in
            Reply(status: response.status, headers: response.headers, body: Array(buffer: response.body))
        }
    }

    /// "Verify now" as a client does it: the answer at once (200), or, when the request's wait ran
    /// out (202), the run followed to its end. Returns the supplier's newest verification record.
    @discardableResult
    func verifyNow(_ supplierId: String) async throws -> [String: Any] {
        let reply = try await send(.post, "/v1/suppliers/\(supplierId)/verify", key: admin)
        if reply.status == .ok { return reply.json }
        guard reply.status == .accepted, let location = reply.headers[.location] else {
            throw UnexpectedReply(description: "verify now answered \(reply.status): \(reply.text)")
        }
        _ = try await eventually("the verification at \(location) to end") {
            try await send(.get, location, key: admin).json["outcome"] as? String == "running" ? nil : true
        }
        let items = try await send(.get, "/v1/suppliers/\(supplierId)/verifications", key: admin).json["items"] as? [[String: Any]]
        return items?.first ?? [:]
    }

    func supplierCount() async throws -> Int {
        try await SupplierStore(database: database).count()
    }
}

struct UnexpectedReply: Error, CustomStringConvertible {
    var description: String
}

struct Reply {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `field` of each entry in a problem document's `errors`.
    var errorFields: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

/// Valle Verde's anniversary in the supplier below: well ahead of today, so checks allow on any day.
let validSupplierAnniversary = TestDates.fromToday(200)

/// The status effective date (2021-02-01) lies in the past on any day a test runs.
let validSupplierJSON = """
    {"name": "Valle Verde Aguacates", "otherNames": ["Aguacates Valle Verde S.A."], "nopOperationId": "8150001234",
     "certifier": "CCOF", "country": "Mexico", "contactEmails": ["buyer@example.com"], "timeZone": "America/Mexico_City",
     "tags": ["fruit"],
     "certificate": {"scheme": "nop", "status": "certified", "statusEffectiveDate": "2021-02-01", "anniversaryDate": "\(validSupplierAnniversary)",
       "scopes": {"crops": {"status": "certified", "effectiveDate": "2021-02-01"}},
       "items": [{"scope": "crops", "category": "Fruit", "items": ["Avocados"], "varieties": ["Hass"]}]}}
    """
