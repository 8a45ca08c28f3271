import ArgumentParser
import CertWatchStore

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once; only its hash is kept.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "A name that says who or what uses the key.") var name: String
        @Option(help: "admin, purchaser or auditor (reads only).") var role: Role

        func validate() throws {
            // A key's name stands for it in the audit record, where an address names a person.
            guard !name.contains("@") else { throw ValidationError("a key's name cannot contain @ (addresses name people in the audit record)") }
        }

        func run() async throws {
            try await options.withDatabase { database, _ in
                do {
                    let (_, secret) = try await APIKeyStore(database: database).create(name: name, role: role)
                    try await ActivityLog(database: database).append(actor: UsersCommand.actor, action: "key.created", subject: name,
                                                                     detail: role.rawValue)
                    print(secret)
                } catch let error as StoreError {
                    throw CLIError(error.description)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never the keys themselves).")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let keys = try await options.withDatabase { database, _ in try await APIKeyStore(database: database).list() }
            if json { return try Output.json(keys) }
            Output.table(["NAME", "ROLE", "PREFIX", "CREATED", "REVOKED"], keys.map {
                [$0.name, $0.role.rawValue, $0.prefix, Timestamp.format($0.createdAt), $0.revokedAt.map(Timestamp.format) ?? "-"]
            })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name; it stops working at once.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The key's name.") var name: String

        func run() async throws {
            let revoked = try await options.withDatabase { database, _ in
                let revoked = try await APIKeyStore(database: database).revoke(name: name)
                if revoked { try await ActivityLog(database: database).append(actor: UsersCommand.actor, action: "key.revoked", subject: name, detail: "") }
                return revoked
            }
            guard revoked else { throw CLIError("no active key named \"\(name)\"") }
            print("revoked \(name)")
        }
    }
}

extension Role: ExpressibleByArgument {}
