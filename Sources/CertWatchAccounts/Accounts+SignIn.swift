import CertWatchStore
import Foundation

extension Accounts {
    public enum SignInOutcome: Sendable, Equatable {
        case signedIn(Account)
        /// The password was right; the authenticator's code (or a recovery code) comes next.
        case secondStepNeeded(Account)
        /// Wrong password, unknown address, disabled or invited account: one answer for all.
        case refused
        /// Too many failures for this account or this address; refused until then.
        case lockedOut(until: Date)
    }

    /// Signs in with an address and a password, counting failures per account and per client
    /// address. An unknown address costs as much time as a known one and counts the same.
    public func signIn(email: String, password: String, address: String) async throws -> SignInOutcome {
        let email = Account.normalized(email: email)
        let subjects = failureSubjects(email: email, address: address)
        if let until = try await failures.lockedUntil(subjects, window: settings.lockoutWindow) { return .lockedOut(until: until) }
        let found = try await store.account(email: email)
        let usable = found?.state == .active ? found : nil
        let right = try await hasher.verify(String(password.prefix(200)), hash: usable?.passwordHash)
        guard right, let account = usable else { return try await failed(subjects) }
        try await failures.clear(Self.accountSubject(email))
        return account.twoStepOn ? .secondStepNeeded(account) : .signedIn(account)
    }

    /// The second step: a code from the authenticator app (good once) or an unused recovery code.
    public func verifySecondStep(accountId: String, code: String, address: String) async throws -> SignInOutcome {
        guard let account = try await store.account(id: accountId), account.state == .active, let secret = account.totpSecret else {
            return .refused
        }
        let subjects = failureSubjects(email: account.email, address: address)
        if let until = try await failures.lockedUntil(subjects, window: settings.lockoutWindow) { return .lockedOut(until: until) }
        let accepted: Bool
        if RecoveryCodes.looksLikeOne(code) {
            accepted = try await store.useRecoveryCode(id: account.id, codeHash: RecoveryCodes.hash(code, accountId: account.id))
            if accepted {
                try await activity.append(actor: account.email, action: "account.recovery_code_used", subject: account.email,
                                          detail: "\(try await store.unusedRecoveryCodes(id: account.id)) left")
            }
        } else if let step = TwoStepCodes.matchingStep(code, secret: secret, at: now()) {
            accepted = try await store.acceptTimeStep(id: account.id, step: step)
        } else {
            accepted = false
        }
        guard accepted else { return try await failed(subjects) }
        try await failures.clear(Self.accountSubject(account.email))
        return .signedIn(account)
    }

    /// Whether this account must turn on two-step sign-in before it may do anything else.
    public func mustSetUpTwoStep(_ account: Account) async throws -> Bool {
        guard account.role == .admin, !account.twoStepOn else { return false }
        return try await store.twoStepRequiredForAdmins()
    }

    private func failed(_ subjects: [SignInFailureStore.Subject]) async throws -> SignInOutcome {
        try await failures.recordFailure(subjects, window: settings.lockoutWindow)
        if let until = try await failures.lockedUntil(subjects, window: settings.lockoutWindow) { return .lockedOut(until: until) }
        return .refused
    }

    private func failureSubjects(email: String, address: String) -> [SignInFailureStore.Subject] {
        [SignInFailureStore.Subject(key: Self.accountSubject(email), limit: settings.maxFailuresPerAccount),
         SignInFailureStore.Subject(key: "address:" + address, limit: settings.maxFailuresPerAddress)]
    }

    static func accountSubject(_ email: String) -> String { "account:" + email }
}
