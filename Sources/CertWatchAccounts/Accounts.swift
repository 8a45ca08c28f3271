import CertWatchCore
import CertWatchStore
import Foundation
import Logging

/// What people and admins do with accounts, whichever door they come through (the page, the
/// API, the CLI): invitations, one-time links, passwords, roles, disabling. Every change is
/// written to the activity record with who made it.
public struct Accounts: Sendable {
    public let settings: AccountSettings
    public let store: AccountStore
    public let links: AccountLinkStore
    public let sessions: WebSessionStore
    public let activity: ActivityLog
    let failures: SignInFailureStore
    let hasher: PasswordHasher
    let mail: AccountMail
    /// Where links point: `http.publicUrl`, else the listening address.
    let pageURL: String
    let now: @Sendable () -> Date
    let logger: Logger

    public init(settings: AccountSettings, database: Database, mail: AccountMail, pageURL: String, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        store = AccountStore(database: database, now: now)
        links = AccountLinkStore(database: database, now: now)
        sessions = WebSessionStore(database: database, now: now)
        activity = ActivityLog(database: database, now: now)
        failures = SignInFailureStore(database: database, now: now)
        hasher = PasswordHasher(cost: settings.bcryptCost)
        self.mail = mail
        self.pageURL = pageURL.hasSuffix("/") ? String(pageURL.dropLast()) : pageURL
        self.now = now
        self.logger = logger
    }

    public var passwordRules: PasswordRules { PasswordRules(minLength: settings.minPasswordLength) }

    /// An invitation made: the account, its link (for the console, or the admin when email is
    /// not configured) and whether the email went out.
    public struct Invitation: Sendable {
        public var account: Account
        public var link: String
        public var expiresAt: Date
        /// Why the email did not go out; nil when it was sent.
        public var emailProblem: String?
    }

    public enum AccountError: Error, Equatable, CustomStringConvertible {
        case invalidEmail(String)
        case invalidName
        case alreadyAnAccount(Account.State)
        case notFound
        case notInvited
        /// The change would leave the installation without an active admin.
        case lastAdmin
        case twoStepAlreadyOn

        public var description: String {
            switch self {
            case .invalidEmail(let email): "\"\(email)\" is not an email address"
            case .invalidName: "the name must be 1 to 200 characters"
            case .alreadyAnAccount(let state): "that address already has an account (\(state.rawValue))"
            case .notFound: "no such account"
            case .notInvited: "the account is not waiting for an invitation (it has signed in already)"
            case .lastAdmin: "that is the last active admin; make someone else an admin first"
            case .twoStepAlreadyOn: "two-step sign-in is on already; turn it off first to use another app"
            }
        }
    }

    /// Invites a person (or invites again, replacing the old link): an invited account and a
    /// link that sets the password, emailed when email is configured.
    public func invite(email: String, name: String?, role: Role, by actor: String) async throws -> Invitation {
        // Checked as sent (the API's schema says the same): an address with spaces is refused,
        // not trimmed into another one.
        guard Self.isEmail(email) else { throw AccountError.invalidEmail(email) }
        let email = Account.normalized(email: email)
        guard (name ?? "").unicodeScalars.count <= 200 else { throw AccountError.invalidName }
        let name = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let account: Account
        do {
            account = try await store.invite(email: email, name: name.isEmpty ? Self.nameFrom(email) : name, role: role)
        } catch AccountStore.InviteError.alreadyAnAccount(let state) {
            throw AccountError.alreadyAnAccount(state)
        }
        let invitation = try await sendInvitation(account, by: actor)
        try await activity.append(actor: actor, action: "account.invited", subject: email,
                                  detail: "invited as \(role.rawValue)\(invitation.emailProblem == nil ? ", emailed" : "")")
        return invitation
    }

    /// A new invitation link for an account still invited; the old link stops working.
    public func resendInvitation(accountId: String, by actor: String) async throws -> Invitation {
        guard let account = try await store.account(id: accountId) else { throw AccountError.notFound }
        guard account.state == .invited else { throw AccountError.notInvited }
        let invitation = try await sendInvitation(account, by: actor)
        try await activity.append(actor: actor, action: "account.invitation_resent", subject: account.email, detail: "")
        return invitation
    }

    private func sendInvitation(_ account: Account, by actor: String) async throws -> Invitation {
        let (token, link) = try await links.issue(accountId: account.id, purpose: .invitation, lifetime: settings.invitationLifetime)
        let url = linkURL(token)
        var problem: String? = "email is not configured"
        if let message = mail.invitation(to: account.email, name: account.name, link: url, expiresAt: link.expiresAt, invitedBy: actor) {
            problem = await mail.send(message)
            if let problem { logger.warning("the invitation to \(account.email) was not sent: \(problem)") }
        }
        return Invitation(account: account, link: url, expiresAt: link.expiresAt, emailProblem: problem)
    }

    public func linkURL(_ token: String) -> String { pageURL + "/set-password/" + token }

    /// Changes an account's role.
    public func setRole(accountId: String, _ role: Role, by actor: String) async throws -> Account {
        guard let before = try await store.account(id: accountId) else { throw AccountError.notFound }
        guard let account = try await guarded({ try await store.update(id: accountId, role: role) }) else { throw AccountError.notFound }
        if before.role != role {
            try await activity.append(actor: actor, action: "account.role_changed", subject: account.email,
                                      detail: "\(before.role.rawValue) → \(role.rawValue)")
        }
        return account
    }

    /// Disables an account: its sessions end at once and its links stop working.
    public func disable(accountId: String, by actor: String) async throws -> Account {
        guard let account = try await guarded({ try await store.update(id: accountId, state: .disabled, endSessions: true) }) else {
            throw AccountError.notFound
        }
        try await sessions.removeAll(accountId: accountId)
        try await links.withdraw(accountId: accountId)
        try await activity.append(actor: actor, action: "account.disabled", subject: account.email, detail: "signed out everywhere")
        return account
    }

    /// Enables a disabled account again: active if it has a password, else invited (an admin
    /// then sends an invitation).
    public func enable(accountId: String, by actor: String) async throws -> Account {
        guard let before = try await store.account(id: accountId) else { throw AccountError.notFound }
        guard before.state == .disabled else { return before }
        let state: Account.State = before.passwordHash == nil ? .invited : .active
        guard let account = try await store.update(id: accountId, state: state, from: .disabled) else { throw AccountError.notFound }
        try await activity.append(actor: actor, action: "account.enabled", subject: account.email, detail: "now \(account.state.rawValue)")
        return account
    }

    /// An address as `openapi.yaml`'s pattern for `email` says: one `@`, a dot inside the domain,
    /// no spaces, controls or the characters that need quoting, at most 254 characters.
    /// Ends every session of the account now, this one too: the caller starts a new one for
    /// the browser that asked, if it should stay signed in.
    public func signOutEverywhere(accountId: String, by actor: String) async throws {
        guard let account = try await store.update(id: accountId, endSessions: true) else { throw AccountError.notFound }
        try await sessions.removeAll(accountId: accountId)
        try await activity.append(actor: actor, action: "account.signed_out_everywhere", subject: account.email, detail: "")
    }

    private func guarded(_ change: () async throws -> Account?) async throws -> Account? {
        do { return try await change() } catch AccountStore.UpdateError.lastAdmin { throw AccountError.lastAdmin }
    }

    static func isEmail(_ text: String) -> Bool {
        text.unicodeScalars.count <= 254 && EmailAddress.isPlausible(text, refusing: { scalar in
            scalar.value <= 0x20 || scalar.value == 0x7F || "<>()[],;:\\\"".unicodeScalars.contains(scalar)
        })
    }

    static func nameFrom(_ email: String) -> String {
        String(email.split(separator: "@").first ?? "")
    }
}
