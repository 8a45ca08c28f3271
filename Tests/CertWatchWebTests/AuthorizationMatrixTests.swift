import CertWatchApp
import CertWatchJobs
import CertWatchServer
import CertWatchStore
import CertWatchTestSupport
import CertWatchWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Issue 21: who may use what, for every route the router has. Each route's rule is written once
/// in `rules`; the test asks the router for its routes, so a route added without a rule fails
/// here, and every route is tried with every kind of caller. The README's matrix is this table.
@Suite struct AuthorizationMatrixTests {
    /// Who may use a route.
    enum Rule: Equatable {
        /// Anyone: operations endpoints, the stylesheet, signing in and out, one-time links.
        case open
        /// The API with an admin key; purchasers' keys too when `purchaser` is true, and
        /// auditors' keys then for reading (GET).
        case api(purchaser: Bool)
        /// The web page with a session; purchasers' sessions too unless `adminOnly`, auditors'
        /// too unless `adminOnly` or `writes` (a form that adds to the record).
        case page(adminOnly: Bool, writes: Bool = false)
        /// A supplier's upload link: its token is the capability. A made-up token is 404 for
        /// every caller, signed in or not, and no session cookie is ever set.
        case link
    }

    /// Every route, as `METHOD /path` with the router's parameter names.
    static let rules: [String: Rule] = [
        "GET /healthz": .open, "GET /readyz": .open, "GET /metrics": .open, "GET /openapi.yaml": .open, "GET /assets/{file}": .open,
        "GET /sign-in": .open, "POST /sign-in": .open, "POST /sign-out": .open,
        // Issue 23: the steps of signing in, and the pages one-time links open.
        "GET /sign-in/code": .open, "POST /sign-in/code": .open, "GET /sign-in/sso": .open, "GET /sign-in/sso/callback": .open,
        "GET /forgot-password": .open, "POST /forgot-password": .open, "GET /set-password/{token}": .open,
        "POST /set-password/{token}": .open,
        // A person's own page (a key's session gets a 404: keys have no account).
        "GET /account": .page(adminOnly: false), "POST /account/name": .page(adminOnly: false),
        "POST /account/password": .page(adminOnly: false), "POST /account/two-step/start": .page(adminOnly: false),
        "POST /account/two-step": .page(adminOnly: false), "POST /account/two-step/off": .page(adminOnly: false),
        "POST /account/sign-out-everywhere": .page(adminOnly: false),
        // People: admins only, on the page and in the API.
        "GET /admin/people": .page(adminOnly: true), "POST /admin/people": .page(adminOnly: true),
        "POST /admin/people/two-step": .page(adminOnly: true), "POST /admin/people/{id}/role": .page(adminOnly: true),
        "POST /admin/people/{id}/disable": .page(adminOnly: true), "POST /admin/people/{id}/enable": .page(adminOnly: true),
        "POST /admin/people/{id}/resend": .page(adminOnly: true), "POST /admin/people/{id}/remove-two-step": .page(adminOnly: true),
        "GET /v1/users": .api(purchaser: false), "POST /v1/users": .api(purchaser: false), "PATCH /v1/users/{id}": .api(purchaser: false),
        "POST /v1/users/{id}/invitation": .api(purchaser: false),
        // The API: purchasers read what the page shows them and ask the purchase gate.
        "GET /v1/suppliers": .api(purchaser: true), "POST /v1/suppliers": .api(purchaser: false),
        "POST /v1/suppliers/import": .api(purchaser: false), "GET /v1/suppliers/{id}": .api(purchaser: true),
        "PUT /v1/suppliers/{id}": .api(purchaser: false), "DELETE /v1/suppliers/{id}": .api(purchaser: false),
        "POST /v1/suppliers/{id}/verify": .api(purchaser: false), "GET /v1/suppliers/{id}/verifications": .api(purchaser: true),
        "GET /v1/suppliers/{id}/status-history": .api(purchaser: true), "POST /v1/verifications": .api(purchaser: false),
        "GET /v1/verifications/{runId}": .api(purchaser: true), "GET /v1/integrity/search": .api(purchaser: true),
        "POST /v1/purchase-checks": .api(purchaser: true), "GET /v1/purchase-checks": .api(purchaser: true),
        "GET /v1/purchase-checks/{checkId}": .api(purchaser: true), "GET /v1/alerts": .api(purchaser: true),
        "GET /v1/suppliers/{id}/documents": .api(purchaser: true), "POST /v1/suppliers/{id}/documents": .api(purchaser: false),
        "GET /v1/documents/{documentId}/content": .api(purchaser: true), "DELETE /v1/documents/{documentId}": .api(purchaser: false),
        "GET /v1/import-certificates": .api(purchaser: true), "POST /v1/import-certificates": .api(purchaser: false),
        "GET /v1/import-certificates/{number}": .api(purchaser: true),
        // Issue 24: certificate requests (admins ask; whoever reads suppliers sees them) and the supplier's upload link.
        "POST /v1/suppliers/{id}/certificate-requests": .api(purchaser: false), "GET /v1/suppliers/{id}/certificate-requests": .api(purchaser: true),
        "POST /v1/certificate-requests/{id}/withdraw": .api(purchaser: false),
        "POST /admin/suppliers/{id}/certificate-requests": .page(adminOnly: true), "POST /admin/certificate-requests/{id}/withdraw": .page(adminOnly: true),
        "GET /upload/{token}": .link, "POST /upload/{token}": .link,
        // Issue 24: import certificates and fraud notices, read by everyone signed in, written by admins.
        "GET /import-certificates": .page(adminOnly: false), "GET /import-certificates/{number}": .page(adminOnly: false),
        "GET /admin/import-certificates/new": .page(adminOnly: true), "POST /admin/import-certificates": .page(adminOnly: true),
        "GET /fraud-notices": .page(adminOnly: false), "GET /admin/fraud-notices/import": .page(adminOnly: true),
        "POST /admin/fraud-notices/import": .page(adminOnly: true),
        // Administration: endpoint URLs (tokens in query strings), delivery errors, jobs, keys.
        "GET /v1/webhook-endpoints": .api(purchaser: false), "POST /v1/webhook-endpoints": .api(purchaser: false),
        "GET /v1/webhook-endpoints/{id}": .api(purchaser: false), "PATCH /v1/webhook-endpoints/{id}": .api(purchaser: false),
        "DELETE /v1/webhook-endpoints/{id}": .api(purchaser: false), "POST /v1/webhook-endpoints/{id}/test": .api(purchaser: false),
        "POST /v1/webhook-endpoints/{id}/rotate-secret": .api(purchaser: false),
        "GET /v1/webhook-endpoints/{id}/deliveries": .api(purchaser: false), "GET /v1/deliveries/{id}": .api(purchaser: false),
        "POST /v1/deliveries/{id}/redeliver": .api(purchaser: false), "GET /v1/jobs": .api(purchaser: false),
        "POST /v1/jobs/{name}/run": .api(purchaser: false),
        // The page.
        "GET /": .page(adminOnly: false), "GET /suppliers": .page(adminOnly: false), "GET /suppliers.csv": .page(adminOnly: false),
        "GET /suppliers/{id}": .page(adminOnly: false), "GET /check": .page(adminOnly: false), "POST /check": .page(adminOnly: false, writes: true),
        "GET /checks/{id}": .page(adminOnly: false), "GET /checks/{id}/print": .page(adminOnly: false),
        "GET /documents/{id}": .page(adminOnly: false),
        "GET /admin/suppliers/{id}/export": .page(adminOnly: true), "POST /admin/suppliers/{id}/verify": .page(adminOnly: true),
        "POST /admin/suppliers/{id}/documents": .page(adminOnly: true), "GET /admin/suppliers/new": .page(adminOnly: true),
        "POST /admin/suppliers": .page(adminOnly: true), "GET /admin/suppliers/{id}/edit": .page(adminOnly: true),
        "POST /admin/suppliers/{id}": .page(adminOnly: true), "GET /admin/import": .page(adminOnly: true),
        "POST /admin/import": .page(adminOnly: true), "GET /admin/keys": .page(adminOnly: true), "POST /admin/keys": .page(adminOnly: true),
        "POST /admin/keys/{name}/revoke": .page(adminOnly: true), "GET /admin/jobs": .page(adminOnly: true),
        "POST /admin/jobs/{name}/run": .page(adminOnly: true), "GET /admin/webhooks": .page(adminOnly: true),
        "POST /admin/webhooks": .page(adminOnly: true), "GET /admin/webhooks/{id}": .page(adminOnly: true),
        "POST /admin/webhooks/{id}/test": .page(adminOnly: true), "POST /admin/webhooks/{id}/rotate": .page(adminOnly: true),
        "POST /admin/webhooks/{id}/disable": .page(adminOnly: true), "POST /admin/webhooks/{id}/enable": .page(adminOnly: true),
        "POST /admin/webhooks/deliveries/{delivery}/redeliver": .page(adminOnly: true), "GET /admin/alerts": .page(adminOnly: true),
    ]

    /// Who is calling.
    enum Caller: String, CaseIterable {
        case nobody, unknownKey, revokedKey, purchaserKey, auditorKey, adminKey
        /// Signed in to the page with a key (`web.keySignIn: on`).
        case purchaserSession, auditorSession, adminSession
        /// Signed in to the page as a person with an account.
        case purchaserPerson, auditorPerson, adminPerson
        case expiredSession
    }

    enum Answer: Equatable { case allowed, unauthenticated, forbidden }

    /// What `caller` gets from a route under `rule`; nil for an open route, which only must not
    /// answer 403 (signing in with a wrong key is a 401 of its own, not a role check).
    static func expected(_ rule: Rule, _ caller: Caller, reading: Bool) -> Answer? {
        switch (rule, caller) {
        case (.open, _), (.link, _): return nil
        case (.api, .adminKey): return .allowed
        case (.api(let purchaser), .purchaserKey): return purchaser ? .allowed : .forbidden
        case (.api(let purchaser), .auditorKey): return purchaser && reading ? .allowed : .forbidden
        case (.api, _): return .unauthenticated  // sessions never authenticate the API
        case (.page, .adminSession), (.page, .adminPerson): return .allowed
        case (.page(let adminOnly, _), .purchaserSession), (.page(let adminOnly, _), .purchaserPerson): return adminOnly ? .forbidden : .allowed
        case (.page(let adminOnly, let writes), .auditorSession), (.page(let adminOnly, let writes), .auditorPerson):
            return adminOnly || writes ? .forbidden : .allowed
        case (.page, _): return .unauthenticated  // a bearer key never opens a page
        }
    }

    @Test(arguments: Backend.allCases)
    func everyRouteAnswersEveryCallerAsItsRuleSays(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let keys = APIKeyStore(database: database)
            let admin = try await keys.create(name: "admin", role: .admin).secret
            let purchaser = try await keys.create(name: "buyer", role: .purchaser).secret
            let auditor = try await keys.create(name: "inspector", role: .auditor).secret
            let revoked = try await keys.create(name: "gone", role: .admin).secret
            _ = try await keys.revoke(name: "gone")
            let clock = TestNow()
            var settings = Settings()
            settings.accounts.bcryptCost = 4
            // Every caller tries one made-up upload link from one address.
            settings.requests.maxUploadsPerAddress = 10_000
            settings.requests.maxUploadsPerLink = 10_000
            let deps = AppDependencies.live(settings: settings, database: database, logger: Logger(label: "test"),
                                            integritySource: { throw CancellationError() }, now: { clock.date() })
            var emails: [Role: String] = [:]
            for role in Role.allCases {
                let invitation = try await deps.accounts.invite(email: "\(role.rawValue)@example.com", name: nil, role: role, by: "test")
                let token = String(invitation.link.split(separator: "/").last ?? "")
                _ = try await deps.accounts.setPassword(token: token, password: Self.password, confirmation: Self.password)
                emails[role] = invitation.account.email
            }
            let people = emails
            // Keys sign in to the page too here, so both kinds of session are tried.
            let pages = try await WebPages(deps: deps, settings: WebSettings(keySignIn: .on), exportSupplier: { _ in nil })
            let router = buildRouter(deps)
            pages.register(on: router)

            let routes = router.routes.map { "\($0.method) \($0.path)" }
            let unlisted = Set(routes).subtracting(Self.rules.keys)
            #expect(unlisted.isEmpty, "routes with no rule in the matrix: \(unlisted.sorted())")
            let gone = Set(Self.rules.keys).subtracting(routes)
            #expect(gone.isEmpty, "rules for routes the router no longer has: \(gone.sorted())")

            try await Application(router: router).test(.router) { client in
                let signIns: [Caller: Form] = [
                    .purchaserSession: .key(purchaser), .auditorSession: .key(auditor), .adminSession: .key(admin),
                    .purchaserPerson: .person(people[.purchaser] ?? ""), .auditorPerson: .person(people[.auditor] ?? ""),
                    .adminPerson: .person(people[.admin] ?? ""),
                ]
                var sessions: [Caller: Session] = [:]
                for (caller, form) in signIns { sessions[caller] = try await Self.signIn(client, form) }
                let expiringSession = try await Self.signIn(client, .key(admin))
                var failures: [String] = []
                for caller in Caller.allCases where caller != .expiredSession {
                    for route in routes.sorted() {
                        guard let rule = Self.rules[route] else { continue }
                        var session = sessions[caller]
                        // These end the session they are sent with: use a spare one.
                        if route == "POST /sign-out" || route == "POST /account/sign-out-everywhere", let form = signIns[caller] {
                            session = try await Self.signIn(client, form)
                        }
                        let key: String? = switch caller {
                        case .unknownKey: String(repeating: "f", count: 64)
                        case .revokedKey: revoked
                        case .purchaserKey: purchaser
                        case .auditorKey: auditor
                        case .adminKey: admin
                        default: nil
                        }
                        let got = try await Self.answer(client, route, key: key, session: session)
                        // Signing out everywhere ended the caller's other sessions too.
                        if route == "POST /account/sign-out-everywhere", let form = signIns[caller] {
                            sessions[caller] = try await Self.signIn(client, form)
                        }
                        if rule == .link, let failure = try await Self.deadLink(client, route, key: key, session: session) {
                            failures.append("\(route) as \(caller): \(failure)")
                        }
                        let want = Self.expected(rule, caller, reading: route.hasPrefix("GET "))
                        if want.map({ got != $0 }) ?? (got == .forbidden) { failures.append("\(route) as \(caller): \(got), expected \(want.map { "\($0)" } ?? "no 403")") }
                    }
                }
                clock.advance(seconds: 13 * 3_600)  // past web.sessionMaxHours
                for route in routes.sorted() {
                    guard let rule = Self.rules[route] else { continue }
                    let got = try await Self.answer(client, route, key: nil, session: expiringSession)
                    let want = Self.expected(rule, .expiredSession, reading: route.hasPrefix("GET "))
                    if want.map({ got != $0 }) ?? (got == .forbidden) { failures.append("\(route) as expiredSession: \(got)") }
                }
                #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            }
        }
    }

    /// A signed-in browser: its session cookie and form token.
    struct Session { var cookie: String; var csrf: String }

    /// How a browser signs in: with an API key, or as a person with their address and password.
    enum Form { case key(String), person(String) }

    static let password = "matrix-password-correct-horse"

    static func signIn(_ client: some TestClientProtocol, _ form: Form) async throws -> Session {
        let body = switch form {
        case .key(let key): "key=\(key)"
        case .person(let email): "email=\(email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&password=\(password)"
        }
        let cookie = try await client.execute(uri: "/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                              body: ByteBuffer(string: body)) { response in
            response.headers[values: .setCookie].first { $0.hasPrefix("certwatch_session=") }.map { String($0.prefix { $0 != ";" }) }
        }
        let session = try #require(cookie, "sign-in gave a session")
        let csrf = try await client.execute(uri: "/", method: .get, headers: [.cookie: session]) { response in
            String(buffer: response.body).firstMatch(of: /name="csrf" value="([0-9a-f]+)"/).map { String($0.output.1) }
        }
        return Session(cookie: session, csrf: try #require(csrf))
    }

    /// What is wrong with a made-up upload link's answer: it must be 404 and set no cookie.
    static func deadLink(_ client: some TestClientProtocol, _ route: String, key: String?, session: Session?) async throws -> String? {
        let method: HTTPRequest.Method = route.hasPrefix("POST ") ? .post : .get
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if let session { headers[.cookie] = session.cookie }
        return try await client.execute(uri: "/upload/" + String(repeating: "0", count: 64), method: method, headers: headers) { response in
            if response.status != .notFound { return "answered \(response.status.code), expected 404" }
            return response.headers[values: .setCookie].isEmpty ? nil : "set a cookie"
        }
    }

    /// Sends `route` (parameters filled with `x`) as the caller and classifies the answer.
    static func answer(_ client: some TestClientProtocol, _ route: String, key: String?, session: Session?) async throws -> Answer {
        let parts = route.split(separator: " ", maxSplits: 1)
        let method = HTTPRequest.Method(String(parts[0])) ?? .get
        let path = parts[1].split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") || $0.hasPrefix(":") ? "x" : String($0) }.joined(separator: "/")
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        var body: ByteBuffer?
        if let session {
            headers[.cookie] = session.cookie
            if method != .get {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: "csrf=\(session.csrf)")
            }
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            let location = response.headers[.location] ?? ""
            switch response.status.code {
            case 401: return .unauthenticated
            case 303 where location.hasPrefix("/sign-in"): return .unauthenticated
            case 403: return .forbidden
            default: return .allowed
            }
        }
    }
}
