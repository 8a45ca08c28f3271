import CertWatchAccounts
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// Single sign-on: `/sign-in/sso` sends the browser to the company's OpenID Connect provider
/// with a fresh state, nonce and PKCE verifier kept in a short pending session; the provider
/// sends it back to `/sign-in/sso/callback`, where the state is checked, the code exchanged and
/// the ID token verified (`SingleSignOn`), and the person signed in (`Accounts.signIn(through:)`).
struct SingleSignOnPages {
    let deps: AppDependencies
    let start: @Sendable (Account, String, Request, WebRequestContext) async throws -> Response

    func register(on pages: RouterGroup<WebRequestContext>) {
        pages.get("sign-in/sso", use: begin)
        pages.get("sign-in/sso/callback", use: callback)
    }

    @Sendable func begin(_ request: Request, context: WebRequestContext) async throws -> Response {
        guard let sso = deps.singleSignOn else { throw PageError.notFound("single sign-on here") }
        let next = SignInPages.localPath(FormQuery(request)["next"])
        let started: SingleSignOn.Start
        do {
            started = try await sso.start()
        } catch {
            context.logger.error("single sign-on could not start: \(error)")
            return Self.back(.unreachable)
        }
        let now = deps.now()
        context.sessions.createSession(
            WebSession(pending: PendingSignIn(ssoState: started.state, ssoNonce: started.nonce, ssoVerifier: started.verifier, next: next),
                       csrfToken: WebSession.newToken(), signedInAt: now, lastSeenAt: now),
            expiresIn: .seconds(10 * 60))
        return .seeOther(started.url)
    }

    @Sendable func callback(_ request: Request, context: WebRequestContext) async throws -> Response {
        guard let sso = deps.singleSignOn else { throw PageError.notFound("single sign-on here") }
        let query = FormQuery(request)
        guard let pending = context.sessions.session?.pending, let state = pending.ssoState, let nonce = pending.ssoNonce,
              let verifier = pending.ssoVerifier, let sent = query["state"], Self.same(sent, state)
        else {
            return Self.back(.foreign)
        }
        context.sessions.clearSession()
        if let error = query["error"] {
            context.logger.notice("the sign-on provider answered error \(String(error.prefix(80)))")
            return Self.back(.providerRefused)
        }
        guard let code = query["code"], !code.isEmpty else { return Self.back(.providerRefused) }
        let identity: SingleSignOn.Identity
        do {
            identity = try await sso.finish(code: code, verifier: verifier, nonce: nonce)
        } catch {
            context.logger.warning("single sign-on refused: \(error)")
            return Self.back(.unverifiable)
        }
        switch try await deps.accounts.signIn(through: identity) {
        case .signedIn(let account):
            return try await start(account, pending.next, request, context)
        case .refused(let why):
            return Self.back(Problem(rawValue: why.rawValue) ?? .noAccount)
        }
    }

    /// Why single sign-on did not sign someone in. The sign-in page shows the words of a code
    /// it is sent, never text from the URL, so a link cannot put words on the page.
    enum Problem: String {
        case unreachable, foreign, unverifiable
        case providerRefused = "provider-refused"
        case unverifiedEmail = "unverified-email"
        case disabled
        case noAccount = "no-account"

        var message: String {
            switch self {
            case .unreachable: "The sign-on provider cannot be reached. Try again later, or sign in with your password."
            case .foreign: "That sign-on answer does not belong to a sign-in started here. Start again."
            case .unverifiable: "The sign-on provider's answer could not be verified, so you are not signed in. Try again."
            case .providerRefused: "The sign-on provider did not sign you in."
            case .unverifiedEmail: "Your sign-on provider has not verified your email address, so CertWatch cannot use it."
            case .disabled: "Your account is disabled. Ask a CertWatch admin."
            case .noAccount: "There is no CertWatch account for the address your sign-on provider gave. Ask a CertWatch admin to invite you."
            }
        }
    }

    /// Back to the sign-in page, which shows the problem's words.
    static func back(_ problem: Problem) -> Response {
        .seeOther("/sign-in?sso-error=" + problem.rawValue)
    }

    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
