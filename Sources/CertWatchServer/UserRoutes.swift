import CertWatchAccounts
import CertWatchCore
import CertWatchStore
import Foundation
import Hummingbird

/// People's accounts for systems that manage them (an HR system, a script): list, invite,
/// change role or state, invite again. Admin keys only (`APIKeyAuthenticator.adminReads`).
struct UserRoutes {
    let accounts: Accounts

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("users", use: list)
        group.post("users", use: invite)
        group.patch("users/{id}", use: update)
        group.post("users/{id}/invitation", use: resend)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(UserList(users: try await accounts.store.list().map(UserResponse.init)))
    }

    struct InviteInput: Decodable {
        var email: String
        var name: String?
        var role: Role
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(InviteInput.self, from: request, context: context)
        do {
            let invitation = try await accounts.invite(email: input.email, name: input.name, role: input.role, by: context.actor)
            var response = UserResponse(invitation.account)
            if invitation.emailProblem != nil { response.invitationLink = invitation.link }
            return try JSONBody.response(response, status: .created)
        } catch let error as Accounts.AccountError {
            throw Self.problem(error)
        }
    }

    struct UpdateInput: Decodable {
        var role: Role?
        var state: Account.State?
        /// Fields sent as `null`: refused, as in every PATCH (leave a field out to keep it).
        var nulls: [String] = []

        enum CodingKeys: String, CodingKey, CaseIterable { case role, state }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decodeIfPresent(Role.self, forKey: .role)
            state = try container.decodeIfPresent(Account.State.self, forKey: .state)
            nulls = try CodingKeys.allCases.filter { key in try container.contains(key) && container.decodeNil(forKey: key) }.map(\.rawValue)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let input = try await JSONBody.decode(UpdateInput.self, from: request, context: context)
        guard input.nulls.isEmpty else {
            throw Problem.validation(ValidationFailure(input.nulls.map { FieldError(field: $0, message: "may not be null; leave it out to keep it") }))
        }
        guard var account = try await accounts.store.account(id: id) else { throw Problem.notFound("user \(id)") }
        if input.state == .invited {
            throw Problem.validation(ValidationFailure([FieldError(field: "state", message: "may be active or disabled; invite with POST /v1/users")]))
        }
        do {
            if let role = input.role { account = try await accounts.setRole(accountId: id, role, by: context.actor) }
            switch input.state {
            case .disabled: account = try await accounts.disable(accountId: id, by: context.actor)
            case .active: account = try await accounts.enable(accountId: id, by: context.actor)
            case .invited, nil: break
            }
        } catch let error as Accounts.AccountError {
            throw Self.problem(error)
        }
        return try JSONBody.response(UserResponse(account))
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        do {
            let invitation = try await accounts.resendInvitation(accountId: id, by: context.actor)
            var response = UserResponse(invitation.account)
            if invitation.emailProblem != nil { response.invitationLink = invitation.link }
            return try JSONBody.response(response, status: .accepted)
        } catch let error as Accounts.AccountError {
            throw Self.problem(error)
        }
    }


    static func problem(_ error: Accounts.AccountError) -> Problem {
        switch error {
        case .notFound: Problem.notFound("user")
        case .invalidEmail: Problem.validation(ValidationFailure([FieldError(field: "email", message: error.description)]))
        case .invalidName: Problem.validation(ValidationFailure([FieldError(field: "name", message: error.description)]))
        case .alreadyAnAccount, .notInvited, .lastAdmin, .twoStepAlreadyOn:
            Problem(.conflict, "user-state", title: "Not possible in this state", detail: error.description)
        }
    }
}

struct UserList: Encodable {
    var users: [UserResponse]
}

/// An account as the API and `certwatch users list --json` show it: never its password hash or
/// two-step secret.
public struct UserResponse: Encodable, Sendable {
    public var id: String
    public var email: String
    public var name: String
    public var role: String
    public var state: String
    public var twoStep: Bool
    public var createdAt: String
    /// Only when email is not configured: the link to pass on (it works once).
    public var invitationLink: String?

    public init(_ account: Account) {
        id = account.id
        email = account.email
        name = account.name
        role = account.role.rawValue
        state = account.state.rawValue
        twoStep = account.twoStepOn
        createdAt = Timestamp.format(account.createdAt)
    }
}
