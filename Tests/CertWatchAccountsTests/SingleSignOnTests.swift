import CertWatchAccounts
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// Single sign-on against a real OpenID Connect provider on loopback (django-oidc-provider,
/// `testing/oidc_provider.py`, which requires PKCE): the code flow as a browser runs it, the
/// ID token verified against the provider's published key, and what is refused.
@Suite struct SingleSignOnTests {
    static let pageURL = "http://127.0.0.1:18099/"
    static let alice = OIDCProvider.User("alice", "alice@example.com", "Alice Example", "alice-password-1")
    static let bob = OIDCProvider.User("bob", "bob@partner.example", "Bob", "bob-password-1", emailVerified: false)
    static let carol = OIDCProvider.User("carol", "carol@example.com", "Carol", "carol-password-1")

    static func provider<T: Sendable>(_ body: (OIDCProvider, SingleSignOn) async throws -> T) async throws -> T {
        try await OIDCProvider.with(redirectURI: pageURL + "sign-in/sso/callback", clientId: "certwatch", clientSecret: "certwatch-secret",
                                    users: [alice, bob, carol]) { provider in
            let settings = SingleSignOnSettings(issuer: provider.issuer, clientId: "certwatch", clientSecret: "certwatch-secret")
            return try await body(provider, SingleSignOn(settings: settings, pageURL: pageURL))
        }
    }

    @Test func aPersonTheProviderSignsInIsKnownByTheirVerifiedAddress() async throws {
        try await Self.provider { provider, sso in
            let start = try await sso.start()
            let callback = try await provider.logIn(start.url, as: Self.alice)
            #expect(callback.path == "/sign-in/sso/callback")
            #expect(callback.queryItems?.first { $0.name == "state" }?.value == start.state)
            let code = try #require(callback.queryItems?.first { $0.name == "code" }?.value)
            let identity = try await sso.finish(code: code, verifier: start.verifier, nonce: start.nonce)
            #expect(identity == SingleSignOn.Identity(email: "alice@example.com", emailVerified: true, name: "Alice Example"))
            // A code works once.
            await #expect(throws: SingleSignOn.SSOError.self) { try await sso.finish(code: code, verifier: start.verifier, nonce: start.nonce) }
        }
    }

    @Test func anotherSignInsVerifierOrNonceIsRefused() async throws {
        try await Self.provider { provider, sso in
            let first = try await sso.start(), second = try await sso.start()
            let callback = try await provider.logIn(first.url, as: Self.alice)
            let code = try #require(callback.queryItems?.first { $0.name == "code" }?.value)
            // The provider checks PKCE: a verifier of another sign-in gets no token.
            await #expect(throws: SingleSignOn.SSOError.self) { try await sso.finish(code: code, verifier: second.verifier, nonce: first.nonce) }
            // A token whose nonce is another sign-in's is refused by CertWatch (the refused
            // exchange above did not use the code up).
            await #expect(throws: SingleSignOn.SSOError.self) { try await sso.finish(code: code, verifier: first.verifier, nonce: second.nonce) }
        }
    }

    @Test(arguments: Backend.allCases)
    func onlyVerifiedAddressesOfAccountsOrAllowedDomainsSignIn(_ backend: Backend) async throws {
        try await Self.provider { provider, sso in
            try await withTestDatabase(backend) { database in
                func accounts(createAccounts: Bool) -> Accounts {
                    let settings = AccountSettings(bcryptCost: 4, singleSignOn: SingleSignOnSettings(
                        issuer: provider.issuer, clientId: "certwatch", clientSecret: "x", allowedDomains: ["Example.com"],
                        createAccounts: createAccounts))
                    return Accounts(settings: settings, database: database, mail: AccountMail(mailer: nil), pageURL: Self.pageURL,
                                    logger: Logger(label: "test"))
                }
                func identity(_ user: OIDCProvider.User) async throws -> SingleSignOn.Identity {
                    let start = try await sso.start()
                    let callback = try await provider.logIn(start.url, as: user)
                    let code = try #require(callback.queryItems?.first { $0.name == "code" }?.value)
                    return try await sso.finish(code: code, verifier: start.verifier, nonce: start.nonce)
                }
                let invitedOnly = accounts(createAccounts: false)
                _ = try await invitedOnly.invite(email: "alice@example.com", name: "Alice", role: .purchaser, by: "admin")
                // An invited person signing in through the provider is active from then on.
                guard case .signedIn(let alice) = try await invitedOnly.signIn(through: try await identity(Self.alice)) else {
                    Issue.record("alice has an account")
                    return
                }
                #expect(alice.state == .active)
                let bob = try await identity(Self.bob)
                #expect(!bob.emailVerified)
                #expect(try await invitedOnly.signIn(through: bob) == .refused(.unverifiedEmail))
                let carol = try await identity(Self.carol)
                #expect(try await invitedOnly.signIn(through: carol) == .refused(.noAccount))
                #expect(try await invitedOnly.store.account(email: "carol@example.com") == nil)
                // With account creation allowed for the domain, carol becomes a purchaser.
                guard case .signedIn(let created) = try await accounts(createAccounts: true).signIn(through: carol) else {
                    Issue.record("carol's domain is allowed")
                    return
                }
                #expect(created.role == .purchaser && created.state == .active)
                _ = try await invitedOnly.disable(accountId: alice.id, by: "admin")
                #expect(try await invitedOnly.signIn(through: try await identity(Self.alice)) == .refused(.disabled))
            }
        }
    }
}
