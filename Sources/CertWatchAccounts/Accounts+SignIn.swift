import CertWatchStore
import Crypto
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

    /// Signs in with an address and a password, counting each attempt per account and per
    /// client address before bcrypt runs (parallel guesses cannot all pass the check), and taking
    /// it back when the sign-in succeeds. An unknown address costs as much time as a known one
    /// and counts the same. With two-step sign-in on, the account's count stays until the code
    /// is right too, so guessing codes between right passwords still runs out.
    public func signIn(email: String, password: String, address: String) async throws -> SignInOutcome {
        // Longer than any address: no account, and not worth a counter row.
        guard email.unicodeScalars.count <= 254 else { return .refused }
        let email = Account.normalized(email: email)
        let subjects = failureSubjects(email: email, address: address)
        if let until = try await refusal(subjects) { return .lockedOut(until: until) }
        let found = try await store.account(email: email)
        let usable = found?.state == .active ? found : nil
        let right = try await hasher.verify(String(password.prefix(200)), hash: usable?.passwordHash)
        guard right, let account = usable else { return try await failed(subjects) }
        if account.twoStepOn {
            try await failures.uncount(subjects[1].key)
            return .secondStepNeeded(account)
        }
        try await succeeded(subjects)
        return .signedIn(account)
    }

    /// The second step: a code from the authenticator app (good once) or an unused recovery code.
    public func verifySecondStep(accountId: String, code: String, address: String) async throws -> SignInOutcome {
        guard let account = try await store.account(id: accountId), account.state == .active, let secret = account.totpSecret else {
            return .refused
        }
        let subjects = failureSubjects(email: account.email, address: address)
        if let until = try await refusal(subjects) { return .lockedOut(until: until) }
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
        try await succeeded(subjects)
        return .signedIn(account)
    }

    /// Checks the current password of a signed-in person (changing it, turning two-step
    /// sign-in off), counted against the account like a sign-in: a stolen session cannot guess
    /// the password at bcrypt's speed.
    func checkPassword(_ account: Account, _ password: String) async throws -> Bool {
        let subject = [SignInFailureStore.Subject(key: Self.accountSubject(account.email), limit: settings.maxFailuresPerAccount)]
        if try await refusal(subject) != nil { return false }
        guard try await hasher.verify(String(password.prefix(200)), hash: account.passwordHash) else {
            _ = try await failed(subject)
            return false
        }
        try await failures.uncount(subject[0].key)
        return true
    }

    /// Whether this account must turn on two-step sign-in before it may do anything else.
    public func mustSetUpTwoStep(_ account: Account) async throws -> Bool {
        guard account.role == .admin, !account.twoStepOn else { return false }
        return try await store.twoStepRequiredForAdmins()
    }

    /// Until when an attempt is refused: a subject already at its limit, or over it once this
    /// attempt is counted.
    private func refusal(_ subjects: [SignInFailureStore.Subject]) async throws -> Date? {
        if let until = try await failures.lockedUntil(subjects, window: settings.lockoutWindow) { return until }
        return try await failures.countAttempt(subjects, window: settings.lockoutWindow)
    }

    /// The attempt stays counted; refused, or locked out if that was the last one allowed.
    private func failed(_ subjects: [SignInFailureStore.Subject]) async throws -> SignInOutcome {
        if let until = try await failures.lockedUntil(subjects, window: settings.lockoutWindow) { return .lockedOut(until: until) }
        return .refused
    }

    /// A whole sign-in succeeded: the account's failures are forgotten, the address's attempt taken back.
    private func succeeded(_ subjects: [SignInFailureStore.Subject]) async throws {
        try await failures.clear(subjects[0].key)
        try await failures.uncount(subjects[1].key)
    }

    private func failureSubjects(email: String, address: String) -> [SignInFailureStore.Subject] {
        [SignInFailureStore.Subject(key: Self.accountSubject(email), limit: settings.maxFailuresPerAccount),
         SignInFailureStore.Subject(key: "address:" + address, limit: settings.maxFailuresPerAddress)]
    }

    /// The account's counter, keyed by a digest: any text typed as an address makes a short key.
    static func accountSubject(_ email: String) -> String {
        "account:" + SHA256.hash(data: Data(email.utf8)).map { String(format: "%02x", $0) }.joined()
    }}
