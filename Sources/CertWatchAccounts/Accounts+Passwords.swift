import CertWatchStore
import Foundation

extension Accounts {
    public enum PasswordError: Error, Equatable, CustomStringConvertible {
        /// The link is unknown, used or expired.
        case linkGone
        /// The new password breaks a rule; the words say which.
        case weak(String)
        case mismatch
        case wrongCurrentPassword

        public var description: String {
            switch self {
            case .linkGone: "This link no longer works: it was used, replaced or has expired."
            case .weak(let problem): problem
            case .mismatch: "The two passwords are not the same."
            case .wrongCurrentPassword: "Your current password is not right."
            }
        }
    }

    /// The account a link is for, when it still works: what the page shows before a password is
    /// chosen. Nothing is used up.
    public func openLink(_ token: String) async throws -> (link: AccountLinkStore.Link, account: Account)? {
        guard let link = try await links.find(token: token), let account = try await store.account(id: link.accountId),
              account.state != .disabled else { return nil }
        return (link, account)
    }

    /// Sets the password through an invitation or reset link and uses the link up; the account
    /// is active afterwards.
    public func setPassword(token: String, password: String, confirmation: String) async throws -> Account {
        guard let (_, account) = try await openLink(token) else { throw PasswordError.linkGone }
        guard password == confirmation else { throw PasswordError.mismatch }
        if let problem = passwordRules.problem(with: password, email: account.email) { throw PasswordError.weak(problem) }
        let hash = try await hasher.hash(password)
        let updated = try await store.setPassword(redeeming: token, in: links, accountId: account.id, passwordHash: hash)
        guard let updated, updated.state == .active else { throw PasswordError.linkGone }
        try await failures.clear(Self.accountSubject(updated.email))
        try await sessions.removeAll(accountId: updated.id)
        try await activity.append(actor: updated.email, action: account.state == .invited ? "account.activated" : "account.password_reset",
                                  subject: updated.email, detail: "password set through an emailed link")
        return updated
    }

    /// Changes the password of a signed-in person, who proves it is them with the current one.
    /// Every session ends (a thief's too); the page starts a new one for the browser that asked.
    public func changePassword(accountId: String, current: String, new: String, confirmation: String) async throws {
        guard let account = try await store.account(id: accountId) else { throw AccountError.notFound }
        guard try await checkPassword(account, current) else { throw PasswordError.wrongCurrentPassword }
        guard new == confirmation else { throw PasswordError.mismatch }
        if let problem = passwordRules.problem(with: new, email: account.email) { throw PasswordError.weak(problem) }
        _ = try await store.update(id: accountId, passwordHash: try await hasher.hash(new), endSessions: true)
        try await sessions.removeAll(accountId: accountId)
        try await activity.append(actor: account.email, action: "account.password_changed", subject: account.email, detail: "")
    }

    /// Emails a reset link to an active account with this address. The caller answers the same
    /// whatever happens here, so nobody learns whether the address has an account. At most three
    /// links per address and `auth.maxFailuresPerAddress` asks per client address go out in a
    /// window, so nobody can flood an inbox or keep replacing someone's link.
    public func requestReset(email: String, address: String) async {
        do {
            guard email.unicodeScalars.count <= 254 else { return }
            let limits = [SignInFailureStore.Subject(key: "reset-" + Self.accountSubject(Account.normalized(email: email)), limit: 3),
                          SignInFailureStore.Subject(key: "reset-address:" + address, limit: settings.maxFailuresPerAddress)]
            if try await failures.countAttempt(limits, window: settings.lockoutWindow) != nil {
                logger.notice("a password reset was not sent: too many asked for in this window")
                return
            }
            guard let account = try await store.account(email: email), account.state == .active else { return }
            let (token, link) = try await links.issue(accountId: account.id, purpose: .reset, lifetime: settings.resetLifetime)
            guard let message = mail.reset(to: account.email, link: linkURL(token), expiresAt: link.expiresAt) else {
                logger.warning("a password reset for \(account.email) was asked for, but email is not configured")
                return
            }
            if let problem = await mail.send(message) { logger.warning("the password reset email to \(account.email) was not sent: \(problem)") }
            try await activity.append(actor: account.email, action: "account.reset_requested", subject: account.email, detail: "link emailed")
        } catch {
            logger.error("password reset failed: \(error)")
        }
    }
}
