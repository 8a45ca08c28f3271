import CertWatchAccounts
import CertWatchNotify
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// The review of issue 23 found these; each test failed before its fix.
@Suite struct AccountHardeningTests {
    static let password = AccountJourneyTests.password

    static func active(_ accounts: Accounts, _ email: String, role: Role = .purchaser) async throws -> Account {
        let invitation = try await accounts.invite(email: email, name: nil, role: role, by: "admin")
        return try await accounts.setPassword(token: AccountJourneyTests.token(invitation.link), password: password, confirmation: password)
    }

    /// The replay guard's `OR` was not grouped: a used code passed again once any other account
    /// had an older step, and every other account's step moved.
    @Test(arguments: Backend.allCases)
    func aCodeUsedByOneAccountStaysUsedWhenOthersUseTwoStepToo(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_900_000_000))
            let accounts = AccountJourneyTests.accounts(database, clock)
            let tess = try await Self.active(accounts, "tess@example.com"), uma = try await Self.active(accounts, "uma@example.com")
            let tessSecret = TwoStepCodes.newSecret(), umaSecret = TwoStepCodes.newSecret()
            _ = try await accounts.turnOnTwoStep(accountId: uma.id, secret: umaSecret, code: AccountJourneyTests.code(umaSecret, at: clock.date()))
            clock.advance(by: .seconds(60))
            _ = try await accounts.turnOnTwoStep(accountId: tess.id, secret: tessSecret, code: AccountJourneyTests.code(tessSecret, at: clock.date()))
            clock.advance(by: .seconds(30))
            let code = AccountJourneyTests.code(tessSecret, at: clock.date())
            #expect(AccountJourneyTests.email(try await accounts.verifySecondStep(accountId: tess.id, code: code, address: "10.0.0.1")) == "tess@example.com")
            #expect(try await accounts.verifySecondStep(accountId: tess.id, code: code, address: "10.0.0.1") == .refused)
            // Uma's own current code still works: her last step was not moved by Tess's sign-in.
            let umaCode = AccountJourneyTests.code(umaSecret, at: clock.date())
            #expect(AccountJourneyTests.email(try await accounts.verifySecondStep(accountId: uma.id, code: umaCode, address: "10.0.0.1")) == "uma@example.com")
        }
    }

    /// Attempts were counted only after bcrypt, so parallel guesses all passed the check.
    @Test(arguments: Backend.allCases)
    func parallelGuessesAreCountedBeforeTheyAreJudged(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date())
            let settings = AccountSettings(bcryptCost: 4, maxFailuresPerAccount: 3, maxFailuresPerAddress: 100)
            let accounts = AccountJourneyTests.accounts(database, clock, settings: settings)
            _ = try await Self.active(accounts, "pat@example.com")
            let outcomes = try await withThrowingTaskGroup(of: Accounts.SignInOutcome.self) { group in
                for guess in 0..<12 {
                    group.addTask { try await accounts.signIn(email: "pat@example.com", password: "guess number \(guess)", address: "10.0.0.\(guess)") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // At most three guesses were judged; every other one was refused unjudged.
            #expect(outcomes.filter { $0 == .refused }.count <= 3)
            #expect(outcomes.filter { if case .lockedOut = $0 { true } else { false } }.count >= 9)
        }
    }

    /// A right password cleared the account's count before the code, so codes could be guessed
    /// for ever between right passwords.
    @Test func guessingCodesBetweenRightPasswordsRunsOut() async throws {
        try await withTestDatabase(.sqlite) { database in
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_900_000_000))
            let settings = AccountSettings(bcryptCost: 4, maxFailuresPerAccount: 4, maxFailuresPerAddress: 1_000)
            let accounts = AccountJourneyTests.accounts(database, clock, settings: settings)
            let tess = try await Self.active(accounts, "tess@example.com")
            let secret = TwoStepCodes.newSecret()
            _ = try await accounts.turnOnTwoStep(accountId: tess.id, secret: secret, code: AccountJourneyTests.code(secret, at: clock.date()))
            var lockedOut = false
            for round in 0..<4 where !lockedOut {
                if case .lockedOut = try await accounts.signIn(email: "tess@example.com", password: Self.password, address: "10.0.0.1") { lockedOut = true }
                let wrong = AccountJourneyTests.code(secret, at: clock.date()) == "000000" ? "111111" : "000000"
                if case .lockedOut = try await accounts.verifySecondStep(accountId: tess.id, code: wrong, address: "10.0.0.\(round)") { lockedOut = true }
            }
            #expect(lockedOut)
        }
    }

    /// The installation kept no admin when the last one was demoted or disabled through the API or CLI.
    @Test(arguments: Backend.allCases)
    func theLastActiveAdminCannotBeDemotedOrDisabled(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let accounts = AccountJourneyTests.accounts(database, ManualClock(start: Date()))
            let ana = try await Self.active(accounts, "ana@example.com", role: .admin)
            await #expect(throws: Accounts.AccountError.lastAdmin) { try await accounts.setRole(accountId: ana.id, .purchaser, by: "ana@example.com") }
            await #expect(throws: Accounts.AccountError.lastAdmin) { try await accounts.disable(accountId: ana.id, by: "ana@example.com") }
            let ben = try await Self.active(accounts, "ben@example.com", role: .admin)
            // Two admins disabling each other at once: one of them stays.
            async let first = try? accounts.disable(accountId: ana.id, by: "ben@example.com")
            async let second = try? accounts.disable(accountId: ben.id, by: "ana@example.com")
            _ = await (first, second)
            let admins = try await accounts.store.list().filter { $0.role == .admin && $0.state == .active }
            #expect(admins.count == 1)
        }
    }

    /// Changing or resetting a password, disabling and signing out everywhere left a thief's
    /// session (or one re-created by a request in flight) working.
    @Test(arguments: Backend.allCases)
    func sessionsFromBeforeAPasswordChangeNoLongerCount(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date())
            let accounts = AccountJourneyTests.accounts(database, clock)
            let pat = try await Self.active(accounts, "pat@example.com")
            let before = clock.date()
            clock.advance(by: .seconds(5))
            try await accounts.changePassword(accountId: pat.id, current: Self.password, new: "another good password", confirmation: "another good password")
            let after = try #require(try await accounts.store.account(id: pat.id))
            #expect(after.sessionsValidFrom.map { $0 > before } == true)
            // A wrong current password is counted like a failed sign-in.
            for _ in 0..<5 {
                await #expect(throws: Accounts.PasswordError.wrongCurrentPassword) {
                    try await accounts.changePassword(accountId: pat.id, current: "not my password", new: "x", confirmation: "x")
                }
            }
            guard case .lockedOut = try await accounts.signIn(email: "pat@example.com", password: "another good password", address: "10.0.0.1") else {
                Issue.record("five wrong current passwords should lock the account like five failed sign-ins")
                return
            }
        }
    }

    /// Anyone could have the reset email sent again and again.
    @Test func resetLinksAreLimitedPerAddress() async throws {
        try await SMTPSink.with { sink in
            try await withTestDatabase(.sqlite) { database in
                let mailer = SMTPMailer(settings: SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", from: "certwatch@example.com", startTLS: .off))
                let accounts = AccountJourneyTests.accounts(database, ManualClock(start: Date()), mailer: mailer)
                _ = try await Self.active(accounts, "pat@example.com")
                _ = try await sink.waitFor(1)  // the invitation
                for _ in 0..<5 { await accounts.requestReset(email: "pat@example.com", address: "10.0.0.1") }
                let messages = try await sink.waitFor(4)
                #expect(messages.count == 4, "the invitation and three resets; the fourth and fifth were not sent")
            }
        }
    }
}
