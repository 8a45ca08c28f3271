import ArgumentParser
import CertWatchStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or update the database schema (serve does this too).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await options.withDatabase { database, settings in
            let version = try await Migrations.currentVersion(of: database)
            print("database \(settings.databaseURL) is at schema version \(version)")
        }
    }
}
