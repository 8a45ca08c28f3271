import AsyncHTTPClient
import Crypto
import Foundation
import JWTKit
import NIOCore

/// Single sign-on with the company's OpenID Connect provider: the authorization code flow with
/// PKCE (S256), the client authenticated with its secret, and the ID token verified against the
/// keys the provider publishes (vapor/jwt-kit): signature, issuer, audience, expiry and nonce.
/// The discovery document and the keys are read once and the keys again when a token names a
/// key not seen yet (the provider rotated them).
public actor SingleSignOn {
    public let settings: SingleSignOnSettings
    /// `PAGE/sign-in/sso/callback`, registered with the provider.
    public let redirectURI: String
    private let http: HTTPClient
    private let now: @Sendable () -> Date
    private var provider: Provider?
    private var keys = JWTKeyCollection()
    private var knownKeyIds: Set<String> = []

    public init(settings: SingleSignOnSettings, pageURL: String, http: HTTPClient = .shared, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        redirectURI = (pageURL.hasSuffix("/") ? String(pageURL.dropLast()) : pageURL) + "/sign-in/sso/callback"
        self.http = http
        self.now = now
    }

    /// What the browser carries to the provider, and what the session keeps to check the answer.
    public struct Start: Sendable {
        public var url: String
        public var state: String
        public var nonce: String
        public var verifier: String
    }

    /// Who the provider says signed in.
    public struct Identity: Sendable, Equatable {
        public var email: String
        public var emailVerified: Bool
        public var name: String?

        public init(email: String, emailVerified: Bool, name: String?) {
            self.email = email
            self.emailVerified = emailVerified
            self.name = name
        }
    }

    public enum SSOError: Error, CustomStringConvertible {
        case provider(String)
        case token(String)

        public var description: String {
            switch self {
            case .provider(let why): "the sign-on provider could not be used: \(why)"
            case .token(let why): "the sign-on provider's answer was refused: \(why)"
            }
        }
    }

    /// The provider's authorization URL for a new sign-in.
    public func start() async throws -> Start {
        let provider = try await discovered()
        let state = Self.random(), nonce = Self.random(), verifier = Self.random()
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64URL
        guard var components = URLComponents(string: provider.authorizationEndpoint) else {
            throw SSOError.provider("the authorization endpoint is not a URL")
        }
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: settings.clientId),
            URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: challenge), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let url = components.url?.absoluteString else { throw SSOError.provider("the authorization URL could not be made") }
        return Start(url: url, state: state, nonce: nonce, verifier: verifier)
    }

    /// Exchanges the code for tokens and verifies the ID token.
    public func finish(code: String, verifier: String, nonce: String) async throws -> Identity {
        let provider = try await discovered()
        var request = HTTPClientRequest(url: provider.tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let credentials = "\(Self.formEncode(settings.clientId)):\(Self.formEncode(settings.clientSecret))"
        request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)]
        request.body = .bytes(ByteBuffer(string: form.map { "\($0)=\(Self.formEncode($1))" }.joined(separator: "&")))
        let (status, body) = try await send(request)
        guard status == 200 else { throw SSOError.token("the token endpoint answered \(status): \(String(body.prefix(200)))") }
        struct TokenAnswer: Decodable { var id_token: String? }
        guard let idToken = (try? JSONDecoder().decode(TokenAnswer.self, from: Data(body.utf8)))?.id_token else {
            throw SSOError.token("the token endpoint sent no ID token")
        }
        let token = try await verify(idToken, provider: provider)
        guard token.iss.value == provider.issuer else { throw SSOError.token("the ID token's issuer is \(token.iss.value)") }
        guard token.aud.value.contains(settings.clientId) else { throw SSOError.token("the ID token is not for this client") }
        if token.aud.value.count > 1, token.azp != settings.clientId { throw SSOError.token("the ID token names another authorized party") }
        guard token.nonce == nonce else { throw SSOError.token("the ID token's nonce is not this sign-in's") }
        do { try token.exp.verifyNotExpired(currentDate: now()) } catch { throw SSOError.token("the ID token has expired") }
        guard let email = token.email, !email.isEmpty else { throw SSOError.token("the ID token carries no email address") }
        return Identity(email: email.lowercased(), emailVerified: token.email_verified?.value ?? false, name: token.name)
    }

    private func verify(_ idToken: String, provider: Provider) async throws -> IDToken {
        if let kid = Self.keyId(of: idToken), !knownKeyIds.contains(kid) { try await loadKeys(provider) }
        do {
            return try await keys.verify(idToken, as: IDToken.self)
        } catch {
            throw SSOError.token("the ID token's signature does not verify: \(error)")
        }
    }

    private func loadKeys(_ provider: Provider) async throws {
        let (status, body) = try await send(HTTPClientRequest(url: provider.jwksURI))
        guard status == 200 else { throw SSOError.provider("its keys (\(provider.jwksURI)) answered \(status)") }
        let fresh = JWTKeyCollection()
        do {
            let jwks = try JSONDecoder().decode(JWKS.self, from: Data(body.utf8))
            _ = try await fresh.add(jwks: jwks)
            knownKeyIds = Set(jwks.keys.compactMap { $0.keyIdentifier?.string })
        } catch {
            throw SSOError.provider("its keys could not be read: \(error)")
        }
        keys = fresh
    }

    private func discovered() async throws -> Provider {
        if let provider { return provider }
        let issuer = settings.issuer.hasSuffix("/") ? String(settings.issuer.dropLast()) : settings.issuer
        let (status, body) = try await send(HTTPClientRequest(url: issuer + "/.well-known/openid-configuration"))
        guard status == 200 else { throw SSOError.provider("its discovery document answered \(status)") }
        guard let found = try? JSONDecoder().decode(Provider.self, from: Data(body.utf8)) else {
            throw SSOError.provider("its discovery document could not be read")
        }
        guard found.issuer == issuer || found.issuer == settings.issuer else {
            throw SSOError.provider("its discovery document names issuer \(found.issuer), not \(settings.issuer)")
        }
        provider = found
        return found
    }

    /// One request with a time limit and a bounded answer.
    private func send(_ request: HTTPClientRequest) async throws -> (UInt, String) {
        do {
            let response = try await http.execute(request, timeout: .seconds(15))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status.code, String(buffer: body))
        } catch let error as SSOError {
            throw error
        } catch {
            throw SSOError.provider("\(request.url): \(error)")
        }
    }

    /// The `kid` of a JWT's header, read without trusting anything else in it.
    static func keyId(of token: String) -> String? {
        guard let header = token.split(separator: ".").first, let data = Data(base64URL: String(header)),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["kid"] as? String
    }

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64URL
    }

    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? ""
    }

    struct Provider: Decodable, Sendable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String

        enum CodingKeys: String, CodingKey {
            case issuer, authorizationEndpoint = "authorization_endpoint", tokenEndpoint = "token_endpoint", jwksURI = "jwks_uri"
        }
    }

    struct IDToken: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var azp: String?
        var nonce: String?
        var email: String?
        var email_verified: BoolClaim?
        var name: String?

        /// The claims that need this sign-in's context are checked by `finish`.
        func verify(using _: some JWTAlgorithm) throws {}
    }
}

extension Data {
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
