import CertWatchAccounts
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// The admins' page of people: invite, change a role, disable (signed out everywhere at once),
/// enable, send an invitation again, remove a lost second factor, and require two-step sign-in
/// for admins.
struct PeoplePages {
    let context: PageContext

    var accounts: Accounts { context.deps.accounts }

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("people", use: list)
        admin.post("people", use: invite)
        admin.post("people/two-step", use: requireTwoStep)
        admin.post("people/{id}/role", use: changeRole)
        admin.post("people/{id}/disable", use: disable)
        admin.post("people/{id}/enable", use: enable)
        admin.post("people/{id}/resend", use: resend)
        admin.post("people/{id}/remove-two-step", use: removeTwoStep)
    }

    struct Content: Sendable {
        var people: [Row]
        var notice: String?
        var error: String?
        var link: ShownLink?
        var twoStepRequired: Bool
    }

    struct Row: Sendable {
        var id, email, name, role, state, twoStep: String
        var disabled, invited, twoStepOn: Bool
        var roles: [RoleOption]
    }

    struct RoleOption: Sendable {
        var value: String
        var selected: Bool
    }

    struct ShownLink: Sendable {
        var email, url, expires: String
    }

    @Sendable func list(_ request: Request, context: WebRequestContext) async throws -> Response {
        try await page(context, notice: FormQuery(request)["done"].map { Self.notices[String($0)] ?? "" })
    }

    struct InviteForm: PostedForm {
        var csrf: String?
        var email: String?
        var name: String?
        var role: String?
    }

    @Sendable func invite(_ request: Request, context: WebRequestContext) async throws -> Response {
        let form = try await Forms.decode(InviteForm.self, request, context)
        guard let role = Role(rawValue: form.role ?? "") else { throw PageError.unreadableForm }
        do {
            let invitation = try await accounts.invite(email: form.email ?? "", name: form.name, role: role, by: try context.signedIn.actor)
            return try await shown(invitation, context, verb: "Invited")
        } catch let error as Accounts.AccountError {
            return try await page(context, error: "Nobody was invited: \(error.description).", status: .unprocessableContent)
        }
    }

    @Sendable func resend(_ request: Request, context: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, context)
        do {
            let invitation = try await accounts.resendInvitation(accountId: try context.parameters.require("id"), by: try context.signedIn.actor)
            return try await shown(invitation, context, verb: "Sent a new invitation to")
        } catch let error as Accounts.AccountError {
            return try await page(context, error: "No invitation was sent: \(error.description).", status: .unprocessableContent)
        }
    }

    struct RoleForm: PostedForm {
        var csrf: String?
        var role: String?
    }

    @Sendable func changeRole(_ request: Request, context: WebRequestContext) async throws -> Response {
        let form = try await Forms.decode(RoleForm.self, request, context)
        guard let role = Role(rawValue: form.role ?? "") else { throw PageError.unreadableForm }
        let id = try context.parameters.require("id")
        return try await perform(context, done: "role") { _ = try await accounts.setRole(accountId: id, role, by: try context.signedIn.actor) }
    }

    @Sendable func disable(_ request: Request, context: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, context)
        let id = try context.parameters.require("id")
        return try await perform(context, done: "disabled") { _ = try await accounts.disable(accountId: id, by: try context.signedIn.actor) }
    }

    @Sendable func enable(_ request: Request, context: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, context)
        let id = try context.parameters.require("id")
        return try await perform(context, done: "enabled") { _ = try await accounts.enable(accountId: id, by: try context.signedIn.actor) }
    }

    @Sendable func removeTwoStep(_ request: Request, context: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, context)
        let id = try context.parameters.require("id")
        return try await perform(context, done: "two-step-removed") { try await accounts.removeTwoStep(accountId: id, by: try context.signedIn.actor) }
    }

    struct PolicyForm: PostedForm {
        var csrf: String?
        var required: String?
    }

    @Sendable func requireTwoStep(_ request: Request, context: WebRequestContext) async throws -> Response {
        let form = try await Forms.decode(PolicyForm.self, request, context)
        try await accounts.requireTwoStepForAdmins(form.required == "true", by: try context.signedIn.actor)
        return .seeOther("/admin/people?done=policy")
    }

    private static let notices = [
        "role": "The role is changed.", "disabled": "The account is disabled and signed out everywhere.",
        "enabled": "The account is enabled.", "two-step-removed": "Two-step sign-in is removed; they can set it up again.",
        "policy": "Saved.",
    ]

    /// Runs an admin's change and shows the list again: with a notice, or what refused it.
    private func perform(_ context: WebRequestContext, done: String, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return .seeOther("/admin/people?done=\(done)")
        } catch Accounts.AccountError.notFound {
            throw PageError.notFound("such person")
        } catch let error as Accounts.AccountError {
            return try await page(context, error: Formatting.sentence(error.description), status: .conflict)
        }
    }

    private func shown(_ invitation: Accounts.Invitation, _ context: WebRequestContext, verb: String) async throws -> Response {
        let link = invitation.emailProblem == nil ? nil : ShownLink(
            email: invitation.account.email, url: invitation.link,
            expires: Formatting.dateTime(invitation.expiresAt, in: self.context.settings.timeZone))
        let notice = invitation.emailProblem == nil ? "\(verb) \(invitation.account.email): the email is on its way." : nil
        return try await page(context, notice: notice, link: link)
    }

    private func page(_ context: WebRequestContext, notice: String? = nil, error: String? = nil, link: ShownLink? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let people = try await accounts.store.list().map { account in
            Row(id: account.id, email: account.email, name: account.name, role: account.role.rawValue, state: account.state.rawValue,
                twoStep: account.twoStepOn ? "on" : "off", disabled: account.state == .disabled, invited: account.state == .invited,
                twoStepOn: account.twoStepOn,
                roles: Role.allCases.map { RoleOption(value: $0.rawValue, selected: $0 == account.role) })
        }
        let content = Content(people: people, notice: notice, error: error, link: link,
                              twoStepRequired: try await accounts.store.twoStepRequiredForAdmins())
        return self.context.views.page("people", try context.frame("People", section: .people), content, status: status)
    }
}
