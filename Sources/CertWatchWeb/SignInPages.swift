import CertWatchAccounts
import CertWatchStore
import CertWatchServer
import Foundation
import Hummingbird

/// Signing in: with an email address and password (then the authenticator's code when two-step
/// sign-in is on), through the company's single sign-on, or with an API key while the setting
/// offers it; and signing out, which deletes the session on the server. Every successful
/// sign-in starts a new session, so a session id known before sign-in is worthless.
struct SignInPages {
    let deps: AppDependencies
    let sessions: WebSessionStore
    let keySignIn: KeySignInPolicy
    let views: Views
    let settings: WebSettings
    let now: @Sendable () -> Date

    var accounts: Accounts { deps.accounts }

    func register(on pages: RouterGroup<WebRequestContext>) {
        pages.get("sign-in", use: form)
        pages.post("sign-in", use: signIn)
        pages.get("sign-in/code", use: codeForm)
        pages.post("sign-in/code", use: code)
        pages.post("sign-out", use: signOut)
        SingleSignOnPages(deps: deps, sessions: sessions, views: views, signIn: self).register(on: pages)
    }

    struct Content: Sendable {
        var next: String
        var email: String
        var error: String?
        var keyError: String?
        var expired: Bool
        var keySignIn: Bool
        var singleSignOn: Bool
        var ssoLink: String
    }

    struct SignInForm: Decodable {
        var email: String?
        var password: String?
        var key: String?
        var next: String?
    }

    @Sendable func form(_ request: Request, context: WebRequestContext) async throws -> Response {
        let query = FormQuery(request)
        let problem = query["sso-error"].flatMap { SingleSignOnPages.Problem(rawValue: String($0)) }
        return try await page(next: Self.localPath(query["next"]), error: problem?.message)
    }

    @Sendable func signIn(_ request: Request, context: WebRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: body))) ?? SignInForm()
        let next = Self.localPath(form.next)
        if let key = form.key { return try await signIn(key: key, next: next, context: context) }
        let email = form.email ?? ""
        switch try await accounts.signIn(email: email, password: form.password ?? "", address: context.clientAddress(request, trusting: settings.trustedProxies)) {
        case .signedIn(let account):
            return try await startSession(for: account, next: next, request: request, context: context)
        case .secondStepNeeded(let account):
            try await startSecondStep(for: account, next: next, request: request, context: context)
            return .seeOther("/sign-in/code")
        case .refused:
            return try await page(next: next, email: email, error: "That email and password do not match an active account.", status: .unauthorized)
        case .lockedOut(let until):
            return try await page(next: next, email: email, error: lockedOutMessage(until), status: .tooManyRequests)
        }
    }

    private func signIn(key secret: String, next: String, context: WebRequestContext) async throws -> Response {
        guard try await keySignIn.offered() else {
            return try await page(next: next, keyError: "Signing in with an API key is off. Sign in with your email address.", status: .forbidden)
        }
        let secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty, let key = try await deps.stores.apiKeys.authenticate(secret) else {
            return try await page(next: next, keyError: "That key is unknown or revoked.", status: .unauthorized)
        }
        // Sign-ins are rare, so they also clear away sessions that have expired (an index serves it).
        try await sessions.purgeExpired()
        let now = now()
        context.sessions.createSession(WebSession(keyId: key.id, csrfToken: WebSession.newToken(), signedInAt: now, lastSeenAt: now),
                                       expiresIn: settings.sessionLifetime)
        return .seeOther(next)
    }

    struct CodeContent: Sendable {
        var error: String?
    }

    struct CodeForm: Decodable {
        var code: String?
    }

    @Sendable func codeForm(_ request: Request, context: WebRequestContext) async throws -> Response {
        guard context.sessions.session?.pending?.accountId != nil else { return .seeOther("/sign-in") }
        return views.page("sign-in-code", Frame(title: "Two-step sign-in"), CodeContent(error: nil))
    }

    @Sendable func code(_ request: Request, context: WebRequestContext) async throws -> Response {
        guard let pending = context.sessions.session?.pending, let accountId = pending.accountId else { return .seeOther("/sign-in") }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(CodeForm.self, from: String(buffer: body))) ?? CodeForm()
        switch try await accounts.verifySecondStep(accountId: accountId, code: form.code ?? "", address: context.clientAddress(request, trusting: settings.trustedProxies)) {
        case .signedIn(let account):
            return try await startSession(for: account, next: pending.next, request: request, context: context, codeChecked: true)
        case .secondStepNeeded:
            return .seeOther("/sign-in/code")
        case .refused:
            return views.page("sign-in-code", Frame(title: "Two-step sign-in"), CodeContent(error: "That code is not right."), status: .unauthorized)
        case .lockedOut(let until):
            return views.page("sign-in-code", Frame(title: "Two-step sign-in"), CodeContent(error: lockedOutMessage(until)), status: .tooManyRequests)
        }
    }

    @Sendable func signOut(_ request: Request, context: WebRequestContext) async throws -> Response {
        if let session = context.sessions.session {
            var context = context
            context.csrfToken = session.csrfToken
            _ = try await Forms.decode(TokenOnlyForm.self, request, context)
            context.sessions.clearSession()
        }
        return .seeOther("/sign-in")
    }

    /// The password (or the sign-on provider, or a reset link) was right and two-step sign-in is
    /// on: a short pending session that `/sign-in/code` completes.
    @Sendable func startSecondStep(for account: Account, next: String, request: Request, context: WebRequestContext) async throws {
        try await endOldSession(request)
        let now = now()
        context.sessions.createSession(
            WebSession(pending: PendingSignIn(accountId: account.id, next: next), csrfToken: WebSession.newToken(), signedInAt: now, lastSeenAt: now),
            expiresIn: .seconds(10 * 60))
    }

    /// Signs `account` in with a new session, ending the one the request came with (a pending
    /// sign-in's); with two-step sign-in on, only as far as the code unless `codeChecked`.
    @Sendable func startSession(for account: Account, next: String, request: Request, context: WebRequestContext,
                                codeChecked: Bool = false) async throws -> Response {
        if account.twoStepOn, !codeChecked {
            try await startSecondStep(for: account, next: next, request: request, context: context)
            return .seeOther("/sign-in/code")
        }
        try await endOldSession(request)
        try await sessions.purgeExpired()
        let now = now()
        context.sessions.createSession(
            WebSession(accountId: account.id, csrfToken: WebSession.newToken(), signedInAt: now, lastSeenAt: now),
            expiresIn: settings.sessionLifetime)
        return .seeOther(next)
    }

    private func endOldSession(_ request: Request) async throws {
        if let id = request.cookies["certwatch_session"]?.value { try await sessions.remove(id: id) }
    }

    private func page(next: String, email: String = "", error: String? = nil, keyError: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        views.page("sign-in", Frame(title: "Sign in"), Content(
            next: next, email: email, error: error, keyError: keyError, expired: false, keySignIn: try await keySignIn.offered(),
            singleSignOn: deps.singleSignOn != nil, ssoLink: "/sign-in/sso?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
            status: status)
    }

    private func lockedOutMessage(_ until: Date) -> String {
        "Too many failed sign-ins. Try again after \(Formatting.time(until, in: settings.timeZone))."
    }

    /// Where to go after signing in: only a path on this site, never another origin.
    /// `next` as a path on this site, or `/`. The text is first cleaned as the URL standard has a
    /// browser clean it (tabs and newlines removed anywhere, leading and trailing controls and
    /// spaces trimmed), so `/<TAB>/evil.example` is judged as the `//evil.example` a browser would
    /// follow. Then it must be one slash and a path: no second slash or backslash after it (also
    /// percent-encoded), no control characters, and no longer than a URL a person writes.
    static func localPath(_ text: String?) -> String {
        guard let text, text.utf8.count <= 2_048 else { return "/" }
        let scalars = text.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let cleaned = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: Self.controlOrSpace)
        let decoded = cleaned.removingPercentEncoding ?? cleaned
        for form in [cleaned, decoded] {
            guard form.hasPrefix("/"), !form.dropFirst().hasPrefix("/"), !form.dropFirst().hasPrefix("\\"), !form.contains("\\"),
                  !form.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return "/" }
        }
        return cleaned
    }

    /// C0 controls and space: what the URL standard trims from both ends.
    private static let controlOrSpace = CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x20))
}
