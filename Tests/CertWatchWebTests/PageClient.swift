import CertWatchApp
import CertWatchServer
import CertWatchStore
import CertWatchTestSupport
import CertWatchWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A browser-like client of one router-level server: keeps the session cookie it is given and
/// reads the form token from the pages, as a browser does.
final class PageClient: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookie: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var html: String

        /// The hidden `csrf` field's value on this page.
        var csrf: String? {
            html.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/).map { String($0.output.1) }
        }

        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(.get, uri, body: nil, headers: extra)
    }

    /// Posts a URL-encoded form.
    @discardableResult
    func post(_ uri: String, _ fields: [String: String]) async throws -> Page {
        var components = URLComponents()
        components.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send(.post, uri, body: body, headers: [.contentType: "application/x-www-form-urlencoded"])
    }

    /// Posts a raw URL-encoded body with extra headers.
    func postWithHeaders(_ uri: String, _ body: String, _ extra: HTTPFields) async throws -> Page {
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, uri, body: body, headers: headers)
    }

    /// Posts `multipart/form-data`, one part per (field, file name, bytes), as a browser sends a file form.
    @discardableResult
    func postFiles(_ uri: String, _ parts: [(field: String, fileName: String, bytes: [UInt8])], headers extra: HTTPFields = [:]) async throws -> Page {
        var body: [UInt8] = []
        for part in parts {
            body += Array("--cwBoundary\r\nContent-Disposition: form-data; name=\"\(part.field)\"; filename=\"\(part.fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += part.bytes + Array("\r\n".utf8)
        }
        body += Array("--cwBoundary--\r\n".utf8)
        var headers = extra
        headers[.contentType] = "multipart/form-data; boundary=cwBoundary"
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
        }
    }

    /// Signs in with `key` and returns the dashboard's form token.
    @discardableResult
    func signIn(_ key: String) async throws -> String {
        let answer = try await post("/sign-in", ["key": key])
        guard answer.status == .seeOther else { throw PageTestFailure(description: "sign-in answered \(answer.status)") }
        guard let token = try await get("/").csrf else { throw PageTestFailure(description: "the dashboard has no form token") }
        return token
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, body: String?, headers extra: HTTPFields) async throws -> Page {
        var headers = extra
        if let cookie { headers[.cookie] = cookie }
        let page = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
        }
        for header in page.headers[values: .setCookie] where header.hasPrefix("certwatch_session=") {
            cookie = Self.expired(header) ? nil : String(header.prefix { $0 != ";" })
        }
        return page
    }
}

extension PageClient {
    /// A cookie whose `Expires` is not in the future: the browser drops it.
    static func expired(_ header: String) -> Bool {
        guard let match = header.firstMatch(of: /Expires=([^;]+)/) else { return false }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: String(match.output.1)) else { return false }
        return date <= Date()
    }
}

struct PageTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// The API and the page on a fresh database, with an admin and a purchaser key.
struct PageServer {
    let database: Database
    let admin: String
    let purchaser: String
    let now: TestNow

    static func run(_ backend: Backend, settings: WebSettings = WebSettings(), app appSettings: Settings = Settings(),
                    _ body: @escaping @Sendable (PageServer, PageClient) async throws -> Void) async throws {
        try await withTestDatabase(backend) { database in
            let keys = APIKeyStore(database: database)
            let server = PageServer(database: database, admin: try await keys.create(name: "admin", role: .admin).secret,
                                    purchaser: try await keys.create(name: "buyer", role: .purchaser).secret, now: TestNow())
            try await server.app(settings, appSettings).test(.router) { client in
                try await body(server, PageClient(client))
            }
        }
    }

    /// Another replica: its own application on the same database.
    func app(_ settings: WebSettings = WebSettings(), _ appSettings: Settings = Settings()) async throws -> some ApplicationProtocol {
        let now = self.now
        let deps = AppDependencies.live(settings: appSettings, database: database, logger: Logger(label: "test"),
                                        integritySource: { throw CancellationError() }, now: { now.date() })
        let pages = try await WebPages(deps: deps, settings: settings, exportSupplier: { _ in nil })
        return buildApplication(deps, host: "127.0.0.1", port: 0, addRoutes: pages.register)
    }
}
