import CertWatchTestSupport
import Foundation
import Testing

/// `certwatch users`: what an operator does before anyone can sign in, and when the page cannot
/// be used; its exit statuses are what scripts read.
@Suite struct UsersCLITests {
    @Test(arguments: Backend.allCases)
    func anOperatorCreatesTheFirstAdminAndManagesPeople(_ backend: Backend) async throws {
        let db = try await CLI.databaseArgument(backend)
        let admin = try await CLI.run(["users", "create-admin", "Ana@Example.com", "--name", "Ana Admin", "--database-url", db],
                                      environment: ["AUTH_BCRYPT_COST": "4"])
        #expect(admin.status == 0, "\(admin.stderr)")
        let link = try #require(admin.stdout.firstMatch(of: /sign-in link \(shown once\): (http:\/\/127\.0\.0\.1:8080\/set-password\/[0-9a-f]{64})/))
        #expect(admin.stdout.contains("not emailed (email is not configured)"))
        _ = link

        let invited = try await CLI.run(["users", "invite", "pat@example.com", "--role", "purchaser", "--database-url", db])
        #expect(invited.status == 0 && invited.stdout.contains("invitation link (shown once): http://127.0.0.1:8080/set-password/"))
        let listed = try await CLI.run(["users", "list", "--json", "--database-url", db])
        let people = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(people.map { "\($0["email"] ?? "") \($0["role"] ?? "") \($0["state"] ?? "")" }
                == ["ana@example.com admin invited", "pat@example.com purchaser invited"])
        #expect(people.allSatisfy { $0["passwordHash"] == nil && $0["invitationLink"] == nil })

        let auditor = try await CLI.run(["users", "set-role", "pat@example.com", "auditor", "--database-url", db])
        #expect(auditor.status == 0 && auditor.stdout.contains("pat@example.com: auditor, invited"))
        let disabled = try await CLI.run(["users", "disable", "pat@example.com", "--database-url", db])
        #expect(disabled.status == 0 && disabled.stdout.contains("auditor, disabled"))
        // An address that already has an account is not invited again.
        let again = try await CLI.run(["users", "invite", "pat@example.com", "--role", "purchaser", "--database-url", db])
        #expect(again.status == 1 && again.stderr.contains("already has an account (disabled)"))
    }

    @Test func badArgumentsExit64AndUnknownAccountsExit1() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let badRole = try await CLI.run(["users", "invite", "pat@example.com", "--role", "owner", "--database-url", db])
        #expect(badRole.status == 64)
        let badAddress = try await CLI.run(["users", "invite", "not an address", "--role", "purchaser", "--database-url", db])
        #expect(badAddress.status == 64 && badAddress.stderr.contains("is not an email address"))
        let unknown = try await CLI.run(["users", "disable", "nobody@example.com", "--database-url", db])
        #expect(unknown.status == 1 && unknown.stderr.contains("no account for nobody@example.com"))
        let listed = try await CLI.run(["users", "list", "--json", "--database-url", db])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]", "nothing was created")
    }
}
