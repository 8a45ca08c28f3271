import CertWatchAccounts
import CertWatchNotify
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// What a person and an admin do with accounts, in their order, on both databases, with the
/// emails read from the real SMTP test server.
@Suite struct AccountJourneyTests {
    static let password = "granola harvest 42"

    static func accounts(_ database: Database, _ clock: ManualClock, mailer: SMTPMailer? = nil,
                         settings: AccountSettings = AccountSettings(bcryptCost: 4)) -> Accounts {
        Accounts(settings: settings, database: database, mail: AccountMail(mailer: mailer), pageURL: "http://certwatch.test/",
                 logger: Logger(label: "test"), now: { clock.date() })
    }

    static func token(_ link: String) -> String { String(link.split(separator: "/").last ?? "") }

    @Test(arguments: Backend.allCases)
    func anInvitedPersonChoosesAPasswordOnceAndSignsIn(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date())
            let accounts = Self.accounts(database, clock)
            let invitation = try await accounts.invite(email: "Pat@Example.com", name: "Pat", role: .purchaser, by: "admin@example.com")
            #expect(invitation.account.email == "pat@example.com" && invitation.account.state == .invited)
            #expect(invitation.link.hasPrefix("http://certwatch.test/set-password/"))
            #expect(invitation.emailProblem == "email is not configured")
            let token = Self.token(invitation.link)

            // Not signed in before a password is chosen.
            #expect(try await accounts.signIn(email: "pat@example.com", password: Self.password, address: "10.0.0.1") == .refused)
            // A weak password changes nothing: the link still works.
            await #expect(throws: Accounts.PasswordError.weak("That password is one of the most common. Choose another.")) {
                try await accounts.setPassword(token: token, password: "password123", confirmation: "password123")
            }
            await #expect(throws: Accounts.PasswordError.mismatch) {
                try await accounts.setPassword(token: token, password: Self.password, confirmation: Self.password + "x")
            }
            let active = try await accounts.setPassword(token: token, password: Self.password, confirmation: Self.password)
            #expect(active.state == .active)
            // The link works once.
            await #expect(throws: Accounts.PasswordError.linkGone) {
                try await accounts.setPassword(token: token, password: "another fine password", confirmation: "another fine password")
            }
            #expect(Self.email(try await accounts.signIn(email: "PAT@example.com", password: Self.password, address: "10.0.0.1")) == "pat@example.com")
            #expect(try await accounts.signIn(email: "pat@example.com", password: "wrong password!", address: "10.0.0.1") == .refused)
            let recorded = try await accounts.activity.entries(subject: "pat@example.com").map(\.action)
            #expect(recorded == ["account.activated", "account.invited"])
        }
    }

    @Test(arguments: Backend.allCases)
    func aNewInvitationReplacesTheOldLinkAndLinksExpire(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date())
            let accounts = Self.accounts(database, clock)
            let first = try await accounts.invite(email: "pat@example.com", name: nil, role: .purchaser, by: "admin")
            let second = try await accounts.resendInvitation(accountId: first.account.id, by: "admin")
            #expect(try await accounts.openLink(Self.token(first.link)) == nil)
            #expect(try await accounts.openLink(Self.token(second.link))?.account.email == "pat@example.com")
            clock.advance(by: .seconds(72 * 3_600 + 1))  // past auth.invitationHours
            await #expect(throws: Accounts.PasswordError.linkGone) {
                try await accounts.setPassword(token: Self.token(second.link), password: Self.password, confirmation: Self.password)
            }
            // Unknown and malformed tokens open nothing.
            #expect(try await accounts.openLink(String(repeating: "0", count: 64)) == nil)
            #expect(try await accounts.openLink("' OR 1=1 --") == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func failuresLockAnAccountAndAnUnknownAddressIsCountedTheSame(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date())
            let settings = AccountSettings(bcryptCost: 4, maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, lockoutWindow: .seconds(900))
            let accounts = Self.accounts(database, clock, settings: settings)
            let invitation = try await accounts.invite(email: "pat@example.com", name: nil, role: .purchaser, by: "admin")
            _ = try await accounts.setPassword(token: Self.token(invitation.link), password: Self.password, confirmation: Self.password)

            for _ in 0..<2 { #expect(try await accounts.signIn(email: "pat@example.com", password: "nope nope", address: "10.0.0.1") == .refused) }
            guard case .lockedOut(let until) = try await accounts.signIn(email: "pat@example.com", password: "nope", address: "10.0.0.2") else {
                Issue.record("the third failure should lock the account")
                return
            }
            #expect(until > clock.date() && until <= clock.date().addingTimeInterval(900))
            // Locked: even the right password waits, from any address.
            #expect(try await accounts.signIn(email: "pat@example.com", password: Self.password, address: "10.0.0.3") == .lockedOut(until: until))
            // An address nobody has answers the same way for as long.
            for _ in 0..<2 { #expect(try await accounts.signIn(email: "nobody@example.com", password: "x", address: "10.0.0.9") == .refused) }
            let unknown = try await accounts.signIn(email: "nobody@example.com", password: "x", address: "10.0.0.9")
            guard case .lockedOut = unknown else {
                Issue.record("an unknown address is locked out like a known one, got \(unknown)")
                return
            }
            clock.advance(by: .seconds(901))
            guard case .signedIn = try await accounts.signIn(email: "pat@example.com", password: Self.password, address: "10.0.0.3") else {
                Issue.record("the window ended; the right password should sign in")
                return
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func twoStepCodesWorkOnceAndRecoveryCodesOnce(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_900_000_000))
            let accounts = Self.accounts(database, clock)
            let invitation = try await accounts.invite(email: "tess@example.com", name: "Tess", role: .admin, by: "admin")
            let account = try await accounts.setPassword(token: Self.token(invitation.link), password: Self.password, confirmation: Self.password)
            let secret = TwoStepCodes.newSecret()
            let code = { (date: Date) in Self.code(secret, at: date) }
            let wrong = code(clock.date()) == "000000" ? "111111" : "000000"
            #expect(try await accounts.turnOnTwoStep(accountId: account.id, secret: secret, code: wrong) == nil)
            let recovery = try #require(try await accounts.turnOnTwoStep(accountId: account.id, secret: secret, code: code(clock.date())))
            #expect(recovery.count == 10)

            clock.advance(by: .seconds(30))
            guard case .secondStepNeeded = try await accounts.signIn(email: "tess@example.com", password: Self.password, address: "10.0.0.1") else {
                Issue.record("two-step sign-in is on: the password alone must not sign in")
                return
            }
            let now = code(clock.date())
            #expect(Self.email(try await accounts.verifySecondStep(accountId: account.id, code: now, address: "10.0.0.1")) == "tess@example.com")
            // The same code again is refused: it was used.
            #expect(try await accounts.verifySecondStep(accountId: account.id, code: now, address: "10.0.0.1") == .refused)
            #expect(Self.email(try await accounts.verifySecondStep(accountId: account.id, code: recovery[0].uppercased(), address: "10.0.0.1")) == "tess@example.com")
            #expect(try await accounts.verifySecondStep(accountId: account.id, code: recovery[0], address: "10.0.0.1") == .refused)
            #expect(try await accounts.store.unusedRecoveryCodes(id: account.id) == 9)
            // Turning it off needs the password.
            #expect(try await !accounts.turnOffTwoStep(accountId: account.id, password: "not it at all"))
            #expect(try await accounts.turnOffTwoStep(accountId: account.id, password: Self.password))
            #expect(try await accounts.store.unusedRecoveryCodes(id: account.id) == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func disablingEndsEverySessionAndRefusesSignIn(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = ManualClock(start: Date())
            let accounts = Self.accounts(database, clock)
            let invitation = try await accounts.invite(email: "dana@example.com", name: nil, role: .purchaser, by: "admin")
            let dana = try await accounts.setPassword(token: Self.token(invitation.link), password: Self.password, confirmation: Self.password)
            for id in ["one", "two"] {
                _ = try await accounts.sessions.create(id: id, data: "{}", expiresAt: clock.date().addingTimeInterval(3_600), accountId: dana.id)
            }
            #expect(try await accounts.sessions.sessions(accountId: dana.id).count == 2)
            _ = try await accounts.disable(accountId: dana.id, by: "admin@example.com")
            #expect(try await accounts.sessions.sessions(accountId: dana.id).isEmpty)
            #expect(try await accounts.signIn(email: "dana@example.com", password: Self.password, address: "10.0.0.1") == .refused)
            let enabled = try await accounts.enable(accountId: dana.id, by: "admin@example.com")
            #expect(enabled.state == .active)
            #expect(try await accounts.activity.entries(subject: "dana@example.com").first?.actor == "admin@example.com")
        }
    }

    @Test func aResetLinkIsEmailedOnlyToAnActiveAccount() async throws {
        try await SMTPSink.with { sink in
            try await withTestDatabase(.sqlite) { database in
                let clock = ManualClock(start: Date())
                let mailer = SMTPMailer(settings: SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", from: "certwatch@example.com", startTLS: .off))
                let accounts = Self.accounts(database, clock, mailer: mailer)
                let invitation = try await accounts.invite(email: "pat@example.com", name: "Pat", role: .purchaser, by: "Admin")
                let emailed = try await sink.waitFor(1)
                #expect(emailed[0].subject == "You are invited to CertWatch" && emailed[0].envelopeTo == ["pat@example.com"])
                #expect(emailed[0].textBody?.contains(invitation.link) == true)
                _ = try await accounts.setPassword(token: Self.token(invitation.link), password: Self.password, confirmation: Self.password)

                await accounts.requestReset(email: "nobody@example.com", address: "10.0.0.1")
                await accounts.requestReset(email: "PAT@example.com", address: "10.0.0.1")
                let messages = try await sink.waitFor(2)
                #expect(messages.count == 2, "the unknown address got nothing")
                let reset = messages[1]
                #expect(reset.subject == "Reset your CertWatch password" && reset.envelopeTo == ["pat@example.com"])
                let link = try #require(reset.textBody?.split(separator: "\n").first { $0.hasPrefix("http://certwatch.test/set-password/") })
                let changed = try await accounts.setPassword(token: Self.token(String(link)), password: "a brand new password", confirmation: "a brand new password")
                #expect(try await accounts.signIn(email: "pat@example.com", password: Self.password, address: "10.0.0.1") == .refused)
                #expect(Self.email(try await accounts.signIn(email: "pat@example.com", password: "a brand new password", address: "10.0.0.1")) == changed.email)
            }
        }
    }

    /// The address of the person an outcome signed in; nil if it signed nobody in.
    static func email(_ outcome: Accounts.SignInOutcome) -> String? {
        if case .signedIn(let account) = outcome { return account.email }
        return nil
    }

    /// What an authenticator app shows at `date` (RFC 6238, computed here, not by the code under test).
    static func code(_ secret: String, at date: Date) -> String {
        String(format: "%06d", TOTPReference.compute(secret: Array(secret.utf8), counter: UInt64(date.timeIntervalSince1970 / 30)))
    }
}

