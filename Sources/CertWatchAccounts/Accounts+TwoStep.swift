import CertWatchStore
import Foundation

extension Accounts {
    /// Turns two-step sign-in on once the person proves their app has `secret` with a current
    /// code; the recovery codes to show once, or nil if the code is not right.
    public func turnOnTwoStep(accountId: String, secret: String, code: String) async throws -> [String]? {
        guard let account = try await store.account(id: accountId) else { throw AccountError.notFound }
        // Replacing the app would otherwise need nothing but a session.
        guard !account.twoStepOn else { throw AccountError.twoStepAlreadyOn }
        guard let step = TwoStepCodes.matchingStep(code, secret: secret, at: now()) else { return nil }
        let codes = RecoveryCodes.make()
        try await store.setTwoStep(id: account.id, secret: secret,
                                   recoveryCodeHashes: codes.map { RecoveryCodes.hash($0, accountId: account.id) })
        // The code that proved the app is used up like any other.
        _ = try await store.acceptTimeStep(id: account.id, step: step)
        try await activity.append(actor: account.email, action: "account.two_step_on", subject: account.email, detail: "")
        return codes
    }

    /// Turns it off for a signed-in person who proves it is them with the password.
    public func turnOffTwoStep(accountId: String, password: String) async throws -> Bool {
        guard let account = try await store.account(id: accountId), try await checkPassword(account, password) else { return false }
        try await store.setTwoStep(id: account.id, secret: nil)
        try await activity.append(actor: account.email, action: "account.two_step_off", subject: account.email, detail: "")
        return true
    }

    /// Turns it off for a person who lost their phone and their recovery codes (an admin or the
    /// operator does it).
    public func removeTwoStep(accountId: String, by actor: String) async throws {
        guard let account = try await store.account(id: accountId) else { throw AccountError.notFound }
        try await store.setTwoStep(id: account.id, secret: nil)
        try await activity.append(actor: actor, action: "account.two_step_removed", subject: account.email, detail: "")
    }

    /// Sets whether admins must use two-step sign-in.
    public func requireTwoStepForAdmins(_ required: Bool, by actor: String) async throws {
        try await store.setTwoStepRequiredForAdmins(required)
        try await activity.append(actor: actor, action: "policy.two_step_for_admins", subject: nil, detail: required ? "required" : "optional")
    }

    /// Changes the display name a person goes by.
    public func rename(accountId: String, to name: String) async throws -> Account {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw AccountError.invalidName }
        guard let before = try await store.account(id: accountId),
              let account = try await store.update(id: accountId, name: name) else { throw AccountError.notFound }
        if before.name != name {
            try await activity.append(actor: account.email, action: "account.renamed", subject: account.email, detail: "\(before.name) → \(name)")
        }
        return account
    }
}
