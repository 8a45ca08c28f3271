import ArgumentParser
import CertWatchAccounts
import CertWatchApp
import CertWatchServer
import CertWatchStore
import Foundation

/// People's accounts from the command line: what an operator does before anyone can sign in
/// (`create-admin`) and when the page cannot be used (a locked-out admin).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage people's accounts (who signs in to the web page).",
        discussion: "Exit status: 0 done, 1 no such account or refused, 64 bad arguments.",
        subcommands: [List.self, Invite.self, CreateAdmin.self, Disable.self, Enable.self, SetRole.self, RemoveTwoStep.self])

    /// What the activity record names as the actor: the operator's login.
    static var actor: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")" }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let people = try await options.withDependencies { deps, _ in try await deps.accounts.store.list() }
            if json { return try Output.json(people.map(UserResponse.init)) }
            Output.table(["EMAIL", "NAME", "ROLE", "STATE", "TWO-STEP"], people.map {
                [$0.email, $0.name, $0.role.rawValue, $0.state.rawValue, $0.twoStepOn ? "on" : "off"]
            })
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invite a person: email them a link that sets their password (printed too, once).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Their email address.") var email: String
        @Option(help: "purchaser, auditor or admin.") var role: Role
        @Option(help: "Their name as the page shows it.") var name: String?

        func run() async throws {
            try await invite(options: options, email: email, name: name, role: role, label: "invitation link")
        }
    }

    struct CreateAdmin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-admin", abstract: "Create an admin account and print the one-time link that sets its password.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The admin's email address.") var email: String
        @Option(help: "Their name as the page shows it.") var name: String?

        func run() async throws {
            try await invite(options: options, email: email, name: name, role: .admin, label: "sign-in link")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: signed out everywhere at once.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Their email address.") var email: String

        func run() async throws {
            try await change(options, email) { accounts, id in try await accounts.disable(accountId: id, by: UsersCommand.actor) }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Their email address.") var email: String

        func run() async throws {
            try await change(options, email) { accounts, id in try await accounts.enable(accountId: id, by: UsersCommand.actor) }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change an account's role.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Their email address.") var email: String
        @Argument(help: "purchaser, auditor or admin.") var role: Role

        func run() async throws {
            try await change(options, email) { accounts, id in try await accounts.setRole(accountId: id, role, by: UsersCommand.actor) }
        }
    }

    struct RemoveTwoStep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-two-step", abstract: "Turn off two-step sign-in for someone who lost their phone and recovery codes.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Their email address.") var email: String

        func run() async throws {
            try await change(options, email) { accounts, id in
                try await accounts.removeTwoStep(accountId: id, by: UsersCommand.actor)
                return try await accounts.store.account(id: id)
            }
        }
    }
}

private func invite(options: GlobalOptions, email: String, name: String?, role: Role, label: String) async throws {
    try await options.withDependencies { deps, _ in
        do {
            let invitation = try await deps.accounts.invite(email: email, name: name, role: role, by: UsersCommand.actor)
            print("\(label) (shown once): \(invitation.link)")
            if let problem = invitation.emailProblem {
                print("not emailed (\(problem)): pass the link on yourself; it works until \(Timestamp.format(invitation.expiresAt))")
            } else {
                print("emailed to \(invitation.account.email); it works until \(Timestamp.format(invitation.expiresAt))")
            }
        } catch let error as Accounts.AccountError {
            if case .invalidEmail = error { throw ValidationError(error.description) }
            throw CLIError(error.description)
        }
    }
}

/// Finds the account by address, applies `body` and prints the account as it is afterwards.
private func change(_ options: GlobalOptions, _ email: String,
                    _ body: @escaping (Accounts, String) async throws -> Account?) async throws {
    try await options.withDependencies { deps, _ in
        guard let account = try await deps.accounts.store.account(email: email) else { throw CLIError("no account for \(email)") }
        guard let after = try await body(deps.accounts, account.id) else { throw CLIError("no account for \(email)") }
        print("\(after.email): \(after.role.rawValue), \(after.state.rawValue), two-step \(after.twoStepOn ? "on" : "off")")
    }
}
