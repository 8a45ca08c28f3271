import CertWatchCore
import CertWatchStore
import Foundation
import Hummingbird

/// What a browser's session holds: the person (or the API key) signed in with it, looked up
/// again on every request so a disabled account or a revoked key ends its sessions; the form
/// token; the times the lifetimes are measured from; and, before sign-in is complete, what the
/// next step needs (`pending`).
struct WebSession: Codable, Sendable {
    /// Signed in with an API key.
    var keyId: String?
    /// Signed in as a person.
    var accountId: String?
    /// A sign-in under way: nobody is signed in with this session yet.
    var pending: PendingSignIn?
    /// Every state-changing form carries this token; a POST without it is refused.
    var csrfToken: String
    var signedInAt: Date
    /// Refreshed at most once a minute, so reading pages does not write on every request.
    var lastSeenAt: Date

    var signedIn: Bool { keyId != nil || accountId != nil }

    /// 256 random bits, hex.
    static func newToken() -> String {
        (0..<32).map { _ in UInt8.random(in: 0...255) }.hexString
    }
}

/// The step between the password and being signed in: the authenticator's code, or the answer
/// of the single sign-on provider.
struct PendingSignIn: Codable, Sendable {
    /// The password was right; the code comes next.
    var accountId: String?
    /// What the provider's answer is checked against (OpenID Connect `state`, `nonce`, PKCE verifier).
    var ssoState: String?
    var ssoNonce: String?
    var ssoVerifier: String?
    /// Where to go once signed in.
    var next: String
}

/// hummingbird-auth's session storage over the `web_sessions` table; each row carries its
/// account, so a person's sessions can be listed and ended together.
struct DatabaseSessionDriver: PersistDriver {
    let store: WebSessionStore
    let now: @Sendable () -> Date
    /// The expiry of a session stored without one; the middleware always gives one.
    let fallbackLifetime: Duration

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        guard try await store.create(id: key, data: try encode(value), expiresAt: expiry(expires ?? fallbackLifetime),
                                     accountId: Self.accountId(of: value)) else {
            throw PersistError.duplicate
        }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let data = try encode(value)
        let accountId = Self.accountId(of: value)
        if try await !store.update(id: key, data: data, expiresAt: expires.map(expiry), accountId: accountId) {
            _ = try await store.create(id: key, data: data, expiresAt: expiry(expires ?? fallbackLifetime), accountId: accountId)
        }
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        guard let (data, expiresAt) = try await store.get(id: key) else { return nil }
        do {
            let object = try JSONDecoder.sessions.decode(Object.self, from: Data(data.utf8))
            return (object, .seconds(max(0, expiresAt.timeIntervalSince(now()))))
        } catch {
            throw PersistError.invalidConversion
        }
    }

    func remove(key: String) async throws {
        try await store.remove(id: key)
    }

    private static func accountId(of value: some Codable & Sendable) -> String? {
        (value as? WebSession)?.accountId
    }

    private func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sessions.encode(value), as: UTF8.self)
    }

    private func expiry(_ duration: Duration) -> Date {
        now().addingTimeInterval(TimeInterval(duration.components.seconds))
    }
}

extension JSONEncoder {
    static let sessions: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()
}

extension JSONDecoder {
    static let sessions: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
