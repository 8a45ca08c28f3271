import CertWatchAccounts
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// A person's own page: their name, their password, two-step sign-in (with recovery codes shown
/// once) and the sessions signed in as them, which they can end everywhere at once.
struct AccountPages {
    let context: PageContext

    var accounts: Accounts { context.deps.accounts }

    func register(on signedIn: RouterGroup<WebRequestContext>) {
        signedIn.get("account", use: show)
        signedIn.post("account/name", use: rename)
        signedIn.post("account/password", use: changePassword)
        signedIn.post("account/two-step/start", use: startTwoStep)
        signedIn.post("account/two-step", use: turnOnTwoStep)
        signedIn.post("account/two-step/off", use: turnOffTwoStep)
        signedIn.post("account/sign-out-everywhere", use: signOutEverywhere)
    }

    struct Content: Sendable {
        var email: String
        var name: String
        var role: String
        var csrf: String
        var minLength: Int
        var notice: String?
        var error: String?
        var twoStepOn: Bool
        var required: Bool
        var recoveryLeft: Int
        var setup: Setup?
        var recoveryCodes: [String]
        var hasRecoveryCodes: Bool
        var sessions: [SessionRow]
    }

    struct Setup: Sendable {
        /// The secret itself, carried by the form that proves the app has it.
        var raw: String
        /// The same, base-32 encoded, as the app wants it typed.
        var secret: String
        var url: String

        init(_ raw: String, email: String) {
            self.raw = raw
            secret = TwoStepCodes.typedSecret(raw)
            url = TwoStepCodes.authenticatorURL(secret: raw, email: email)
        }
    }

    struct SessionRow: Sendable {
        var signedIn: String
        var lastSeen: String
        var ends: String
        var current: Bool
    }

    @Sendable func show(_ request: Request, context: WebRequestContext) async throws -> Response {
        let notice = FormQuery(request)["two-step"] == "required" ? "Admins must use two-step sign-in here. Set it up to go on." : nil
        return try await page(request, context, notice: notice)
    }

    struct NameForm: PostedForm {
        var csrf: String?
        var name: String?
    }

    @Sendable func rename(_ request: Request, context: WebRequestContext) async throws -> Response {
        let account = try person(context)
        let form = try await Forms.decode(NameForm.self, request, context)
        do {
            _ = try await accounts.rename(accountId: account.id, to: form.name ?? "")
        } catch let error as Accounts.AccountError {
            return try await page(request, context, error: "The name was not saved: \(error.description).", status: .unprocessableContent)
        }
        return .seeOther("/account")
    }

    struct PasswordForm: PostedForm {
        var csrf: String?
        var current: String?
        var password: String?
        var confirmation: String?
    }

    @Sendable func changePassword(_ request: Request, context: WebRequestContext) async throws -> Response {
        let account = try person(context)
        let form = try await Forms.decode(PasswordForm.self, request, context)
        do {
            try await accounts.changePassword(accountId: account.id, current: form.current ?? "", new: form.password ?? "",
                                              confirmation: form.confirmation ?? "")
        } catch let error as Accounts.PasswordError {
            return try await page(request, context, error: "The password was not changed: \(error.description)", status: .unprocessableContent)
        }
        // Every session ended with the old password; this browser goes on in a new one.
        let now = self.context.now()
        let csrf = WebSession.newToken()
        context.sessions.createSession(WebSession(accountId: account.id, csrfToken: csrf, signedInAt: now, lastSeenAt: now),
                                       expiresIn: self.context.settings.sessionLifetime)
        var renewed = context
        renewed.csrfToken = csrf
        return try await page(request, renewed, notice: "Your password is changed. You are signed out everywhere else.")
    }

    @Sendable func startTwoStep(_ request: Request, context: WebRequestContext) async throws -> Response {
        let account = try person(context)
        _ = try await Forms.decode(TokenOnlyForm.self, request, context)
        let secret = TwoStepCodes.newSecret()
        return try await page(request, context, setup: Setup(secret, email: account.email))
    }

    struct TwoStepForm: PostedForm {
        var csrf: String?
        var secret: String?
        var code: String?
    }

    @Sendable func turnOnTwoStep(_ request: Request, context: WebRequestContext) async throws -> Response {
        let account = try person(context)
        let form = try await Forms.decode(TwoStepForm.self, request, context)
        guard let secret = form.secret, TwoStepCodes.isSecret(secret) else { throw PageError.unreadableForm }
        let turnedOn: [String]?
        do {
            turnedOn = try await accounts.turnOnTwoStep(accountId: account.id, secret: secret, code: form.code ?? "")
        } catch Accounts.AccountError.twoStepAlreadyOn {
            return try await page(request, context, error: Formatting.sentence(Accounts.AccountError.twoStepAlreadyOn.description),
                                  status: .conflict)
        }
        guard let codes = turnedOn else {
            return try await page(request, context, error: "That code is not right. Check the app's clock and try the next code.",
                                  status: .unprocessableContent,
                                  setup: Setup(secret, email: account.email))
        }
        return try await page(request, context, recoveryCodes: codes)
    }

    struct OffForm: PostedForm {
        var csrf: String?
        var current: String?
    }

    @Sendable func turnOffTwoStep(_ request: Request, context: WebRequestContext) async throws -> Response {
        let account = try person(context)
        let form = try await Forms.decode(OffForm.self, request, context)
        guard try await accounts.turnOffTwoStep(accountId: account.id, password: form.current ?? "") else {
            return try await page(request, context, error: "Your current password is not right; two-step sign-in stays on.", status: .unprocessableContent)
        }
        return try await page(request, context, notice: "Two-step sign-in is off.")
    }

    @Sendable func signOutEverywhere(_ request: Request, context: WebRequestContext) async throws -> Response {
        let account = try person(context)
        _ = try await Forms.decode(TokenOnlyForm.self, request, context)
        try await accounts.signOutEverywhere(accountId: account.id, by: account.email)
        context.sessions.clearSession()
        return self.context.views.page("signed-out", Frame(title: "Signed out everywhere"), [String]())
    }

    private func person(_ context: WebRequestContext) throws -> Account {
        guard let account = try context.signedIn.account else { throw PageError.notFound("account page for an API key") }
        return account
    }

    private func page(_ request: Request, _ context: WebRequestContext, notice: String? = nil, error: String? = nil,
                      status: HTTPResponse.Status = .ok, setup: Setup? = nil, recoveryCodes: [String] = []) async throws -> Response {
        guard let fresh = try await accounts.store.account(id: try person(context).id) else { throw PageError.signInRequired }
        let zone = self.context.settings.timeZone
        let current = request.cookies["certwatch_session"].map { WebSessionStore.hash($0.value) }
        let sessions = try await accounts.sessions.sessions(accountId: fresh.id).compactMap { row -> SessionRow? in
            guard let session = try? JSONDecoder.sessions.decode(WebSession.self, from: Data(row.data.utf8)) else { return nil }
            return SessionRow(signedIn: Formatting.dateTime(session.signedInAt, in: zone), lastSeen: Formatting.dateTime(session.lastSeenAt, in: zone),
                              ends: Formatting.dateTime(row.expiresAt, in: zone), current: row.idHash == current)
        }
        let content = Content(
            email: fresh.email, name: fresh.name, role: fresh.role.rawValue, csrf: context.csrfToken ?? "",
            minLength: accounts.settings.minPasswordLength, notice: notice, error: error, twoStepOn: fresh.twoStepOn,
            required: try await accounts.mustSetUpTwoStep(fresh), recoveryLeft: try await accounts.store.unusedRecoveryCodes(id: fresh.id),
            setup: setup, recoveryCodes: recoveryCodes, hasRecoveryCodes: !recoveryCodes.isEmpty, sessions: sessions)
        return self.context.views.page("account", try context.frame("Your account", section: .account), content, status: status)
    }
}
