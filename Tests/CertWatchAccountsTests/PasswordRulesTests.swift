import CertWatchAccounts
import Testing

@Suite struct PasswordRulesTests {
    let rules = PasswordRules(minLength: 10)

    @Test func aLongUncommonPasswordIsAccepted() {
        #expect(rules.problem(with: "granola harvest 42", email: "pat@example.com") == nil)
    }

    @Test func shortCommonOrOwnAddressPasswordsAreRefusedWithTheReason() {
        #expect(rules.problem(with: "short", email: "pat@example.com") == "Use at least 10 characters.")
        // In the bundled list of common passwords, whatever the case.
        #expect(rules.problem(with: "Password123", email: "pat@example.com")?.contains("most common") == true)
        #expect(rules.problem(with: "qwertyuiop", email: "pat@example.com")?.contains("most common") == true)
        #expect(rules.problem(with: "pat.longname", email: "pat.longname@example.com") == "The password cannot be your email address.")
        #expect(rules.problem(with: String(repeating: "é", count: 40), email: "pat@example.com")?.contains("72 bytes") == true)
    }
}
