import CertWatchCore
import CertWatchAccounts
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// Single sign-on: `/sign-in/sso` sends the browser to the company's OpenID Connect provider
/// with a fresh state, nonce and PKCE verifier; the provider sends it back to
/// `/sign-in/sso/callback`, where the state is checked, the code exchanged and the ID token
/// verified (`SingleSignOn`), and the person signed in (`Accounts.signIn(through:)`).
///
/// The provider's answer arrives by a cross-site redirect, which carries no `SameSite=Strict`
/// cookie, so the pending sign-in is a row of its own in `web_sessions` named by a
/// `SameSite=Lax` cookie scoped to `/sign-in/sso`, used once. The callback answers with a page
/// that moves on by itself (a same-site navigation, so the new session's strict cookie goes with it).
struct SingleSignOnPages {
    let deps: AppDependencies
    let sessions: WebSessionStore
    let views: Views
    let signIn: SignInPages

    static let cookie = "certwatch_sso"
    static let lifetime = 10 * 60

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
        let pending = PendingSignIn(ssoState: started.state, ssoNonce: started.nonce, ssoVerifier: started.verifier, next: next)
        let id = WebSession.newToken()
        let data = String(decoding: try JSONEncoder.sessions.encode(pending), as: UTF8.self)
        _ = try await sessions.create(id: id, data: data, expiresAt: deps.now().addingTimeInterval(TimeInterval(Self.lifetime)))
        var response = Response.seeOther(started.url)
        response.headers[values: .setCookie].append(
            "\(Self.cookie)=\(id); Path=/sign-in/sso; Max-Age=\(Self.lifetime); HttpOnly; SameSite=Lax")
        return response
    }

    @Sendable func callback(_ request: Request, context: WebRequestContext) async throws -> Response {
        guard let sso = deps.singleSignOn else { throw PageError.notFound("single sign-on here") }
        let pending = try await takePending(request)
        var response = try await answer(request, context: context, sso: sso, pending: pending)
        response.headers[values: .setCookie].append("\(Self.cookie)=; Path=/sign-in/sso; Max-Age=0; HttpOnly; SameSite=Lax")
        return response
    }

    private func answer(_ request: Request, context: WebRequestContext, sso: SingleSignOn, pending: PendingSignIn?) async throws -> Response {
        let query = FormQuery(request)
        guard let pending, let state = pending.ssoState, let nonce = pending.ssoNonce, let verifier = pending.ssoVerifier,
              let sent = query["state"], ConstantTime.equal(sent, state)
        else {
            return Self.back(.foreign)
        }
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
            // A new session (or, with two-step sign-in on, the step before it); the browser
            // reaches `Location` by a same-site navigation from the page below.
            let started = try await signIn.startSession(for: account, next: pending.next, request: request, context: context)
            let target = started.headers[.location] ?? "/"
            return views.page("moving-on", Frame(title: "Signed in", refresh: target), MovingOn(target: target))
        case .refused(let why):
            return Self.back(Problem(rawValue: why.rawValue) ?? .noAccount)
        }
    }

    /// The pending sign-in the Lax cookie names, removed as it is read: an answer is used once.
    private func takePending(_ request: Request) async throws -> PendingSignIn? {
        guard let id = request.cookies[Self.cookie]?.value, !id.isEmpty, let (data, _) = try await sessions.get(id: id) else { return nil }
        try await sessions.remove(id: id)
        return try? JSONDecoder.sessions.decode(PendingSignIn.self, from: Data(data.utf8))
    }

    struct MovingOn: Sendable {
        var target: String
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
}
