import CertWatchCore
import CertWatchStore
import Hummingbird

/// Requires `Authorization: Bearer KEY` on every `/v1` route and checks the key's role before
/// the route is looked up (so a purchaser learns nothing from a 404): purchasers may read (GET)
/// what the page shows them and run purchase checks; webhook endpoints, deliveries and jobs
/// (which hold URLs with tokens, error texts and operations detail) and everything that writes
/// need an admin key. 401 for a missing, unknown or revoked key; 403 for the wrong role.
struct APIKeyAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let keys: APIKeyStore

    /// Routes purchasers may POST to although they change nothing in the registry.
    static let purchaserWrites: Set<String> = ["/v1/purchase-checks"]
    /// Path prefixes purchasers and auditors may not even read: administration the page shows
    /// admins only.
    static let adminReads = ["/v1/webhook-endpoints", "/v1/deliveries", "/v1/jobs", "/v1/users"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw Problem(.unauthorized, "unauthenticated", title: "Authentication required",
                          detail: "send an API key as Authorization: Bearer KEY (create one with certwatch keys create)")
        }
        let secret = String(header.dropFirst("bearer ".count)).trimmingWhitespace()
        guard let key = try await keys.authenticate(secret) else {
            throw Problem(.unauthorized, "unauthenticated", title: "Authentication failed",
                          detail: "the API key is unknown or revoked")
        }
        if !Self.may(key.role, request) {
            throw Problem(.forbidden, "forbidden", title: "Not allowed for this role",
                          detail: "key \"\(key.name)\" has role \(key.role.rawValue); this needs an admin key")
        }
        var context = context
        context.apiKey = key
        return try await next(request, context)
    }

    /// Admins may do anything; purchasers read and ask the gate; auditors only read (a purchase
    /// check writes to the audit record).
    static func may(_ role: Role, _ request: Request) -> Bool {
        switch (role, request.method) {
        case (.admin, _): true
        case (_, .get), (_, .head): !adminReads.contains { request.uri.path == $0 || request.uri.path.hasPrefix($0 + "/") }
        case (.purchaser, .post): purchaserWrites.contains(request.uri.path)
        default: false
        }
    }
}
