import CertWatchStore
import Foundation

extension Accounts {
    public enum SingleSignOnOutcome: Sendable, Equatable {
        case signedIn(Account)
        case refused(Refusal)
    }

    /// Why a person the provider vouches for is not signed in.
    public enum Refusal: String, Sendable, Equatable {
        case unverifiedEmail = "unverified-email"
        case disabled
        case noAccount = "no-account"
    }

    /// Signs in the person the provider vouches for: their verified address must be an account's
    /// (an invited account becomes active: the provider proved the address), or, when the
    /// admin allows it, in an allowed domain, which creates a purchaser account.
    public func signIn(through identity: SingleSignOn.Identity) async throws -> SingleSignOnOutcome {
        guard identity.emailVerified else {
            return .refused(.unverifiedEmail)
        }
        let email = Account.normalized(email: identity.email)
        if let account = try await store.account(email: email) {
            switch account.state {
            case .disabled:
                return .refused(.disabled)
            case .invited:
                guard let active = try await store.update(id: account.id, state: .active, from: .invited), active.state == .active else {
                    return .refused(.disabled)
                }
                // The invitation is answered: its link no longer sets a password.
                try await links.withdraw(accountId: account.id)
                try await activity.append(actor: email, action: "account.activated", subject: email, detail: "through single sign-on")
                return .signedIn(active)
            case .active:
                return .signedIn(account)
            }
        }
        let domain = String(email.split(separator: "@").last ?? "")
        guard let sso = settings.singleSignOn, sso.createAccounts, sso.allowedDomains.contains(domain) else {
            return .refused(.noAccount)
        }
        let invited = try await store.invite(email: email, name: identity.name ?? Self.nameFrom(email), role: .purchaser)
        guard let account = try await store.update(id: invited.id, state: .active) else { return .refused(.noAccount) }
        try await activity.append(actor: email, action: "account.created", subject: email,
                                  detail: "purchaser, on first single sign-on from \(domain)")
        return .signedIn(account)
    }
}
