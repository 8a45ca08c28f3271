import Foundation

/// The project's OpenID Connect provider for tests (`testing/oidc_provider.py`: django-oidc-provider
/// on loopback, a real implementation that checks PKCE, the client's secret and redirect URIs).
public final class OIDCProvider: Sendable {
    private let server: LoopbackProcess

    public var issuer: String { "http://127.0.0.1:\(server.port)/openid" }

    /// A user the provider knows: `username:email:full name:password`.
    public struct User: Sendable {
        public var username, email, name, password: String
        public var emailVerified: Bool

        public init(_ username: String, _ email: String, _ name: String, _ password: String, emailVerified: Bool = true) {
            (self.username, self.email, self.name, self.password, self.emailVerified) = (username, email, name, password, emailVerified)
        }
    }

    public static func with<T: Sendable>(redirectURI: String, clientId: String, clientSecret: String, users: [User],
                                         _ body: (OIDCProvider) async throws -> T) async throws -> T {
        var arguments = ["--port", "0", "--redirect-uri", redirectURI, "--client-id", clientId, "--client-secret", clientSecret,
                         "--require-pkce"]
        for user in users {
            arguments += [user.emailVerified ? "--user" : "--unverified-email-user", "\(user.username):\(user.email):\(user.name):\(user.password)"]
        }
        return try await LoopbackProcess.with("oidc_provider.py", arguments) { try await body(OIDCProvider(server: $0)) }
    }

    private init(server: LoopbackProcess) {
        self.server = server
    }

    /// Logs `user` in at the provider as a browser would (`testing/oidc_login.py`) starting from
    /// a relying party's authorization URL; the callback URL the provider sends the browser to.
    public func logIn(_ authorizationURL: String, as user: User) async throws -> URLComponents {
        let result = try await ChildProcess.run("/usr/bin/env", [
            "python3", LoopbackProcess.repository.appendingPathComponent("testing/oidc_login.py").path, authorizationURL,
            user.username, user.password,
        ])
        guard result.status == 0, let callback = URLComponents(string: result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LoopbackProcess.Failure(message: "oidc_login.py: \(result.stderr)")
        }
        return callback
    }
}
