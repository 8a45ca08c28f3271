import CertWatchAccounts
import CertWatchJobs
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// The pages a one-time link opens (choosing the first password from an invitation, a new one
/// from a reset) and the page that asks for a reset link. They are open: whoever holds a link
/// may use it once. The token is in the path and never logged (`PageErrorMiddleware` and
/// `PageAuthenticator` print `/set-password/…`).
struct PasswordPages {
    let accounts: Accounts
    let background: BackgroundWork
    /// `http.trustedProxies`.
    let trustedProxies: Set<String>
    let views: Views
    let start: @Sendable (Account, String, Request, WebRequestContext) async throws -> Response

    func register(on pages: RouterGroup<WebRequestContext>) {
        pages.get("forgot-password", use: forgotForm)
        pages.post("forgot-password", use: forgot)
        pages.get("set-password/{token}", use: setForm)
        pages.post("set-password/{token}", use: set)
    }

    struct ForgotContent: Sendable {
        var sent: Bool
        var minutes: Int
    }

    struct ForgotForm: Decodable {
        var email: String?
    }

    @Sendable func forgotForm(_ request: Request, context: WebRequestContext) async throws -> Response {
        views.page("forgot-password", Frame(title: "Forgot your password?"), ForgotContent(sent: false, minutes: resetMinutes))
    }

    /// The same answer, as fast, whether or not the address has an account: the lookup and the
    /// email happen in background work the answer does not wait for.
    @Sendable func forgot(_ request: Request, context: WebRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(ForgotForm.self, from: String(buffer: body))) ?? ForgotForm()
        if let email = form.email, !email.isEmpty {
            let accounts = accounts, address = context.clientAddress(request, trusting: trustedProxies)
            if !background.start("password reset", { await accounts.requestReset(email: email, address: address) }) {
                await accounts.requestReset(email: email, address: address)
            }
        }
        return views.page("forgot-password", Frame(title: "Forgot your password?"), ForgotContent(sent: true, minutes: resetMinutes))
    }

    struct SetContent: Sendable {
        var heading: String
        var intro: String
        var token: String
        var email: String
        var minLength: Int
        var error: String?
    }

    struct SetForm: Decodable {
        var password: String?
        var confirmation: String?
    }

    @Sendable func setForm(_ request: Request, context: WebRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let (link, account) = try await accounts.openLink(token) else { return gone() }
        return views.page("set-password", Frame(title: heading(link)), content(link, account, token: token, error: nil))
    }

    @Sendable func set(_ request: Request, context: WebRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let (link, account) = try await accounts.openLink(token) else { return gone() }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(SetForm.self, from: String(buffer: body))) ?? SetForm()
        do {
            let active = try await accounts.setPassword(token: token, password: form.password ?? "", confirmation: form.confirmation ?? "")
            return try await start(active, "/", request, context)
        } catch let error as Accounts.PasswordError {
            if error == .linkGone { return gone() }
            return views.page("set-password", Frame(title: heading(link)), content(link, account, token: token, error: error.description),
                              status: .unprocessableContent)
        }
    }

    private func content(_ link: AccountLinkStore.Link, _ account: Account, token: String, error: String?) -> SetContent {
        SetContent(
            heading: heading(link),
            intro: link.purpose == .invitation
                ? "Choose the password you will sign in with as \(account.email)."
                : "Choose a new password for \(account.email). Your old one stops working.",
            token: token, email: account.email, minLength: accounts.settings.minPasswordLength, error: error)
    }

    private func heading(_ link: AccountLinkStore.Link) -> String {
        link.purpose == .invitation ? "Welcome to CertWatch" : "Choose a new password"
    }

    private func gone() -> Response {
        views.page("error", Frame(title: "Link no longer works"), ErrorContent(heading: "This link no longer works",
            message: "It was used, replaced by a newer one, or has expired. Ask for a new password reset, or ask an admin to invite you again."),
            status: .gone)
    }

    private var resetMinutes: Int { Int(accounts.settings.resetLifetime.components.seconds / 60) }
}
