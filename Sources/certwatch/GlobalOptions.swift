import ArgumentParser
import CertWatchApp
import CertWatchServer
import CertWatchStore
import Configuration
import Foundation
import Logging

/// Options every command takes: where the configuration file is and which database to use.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "A YAML (or .json) configuration file.")
    var configFile: String?

    @Option(name: .customLong("database-url"), help: "Overrides database.url, e.g. sqlite:./data/certwatch.sqlite or postgres://…")
    var databaseURL: String?

    /// Settings from this command line, the environment and the file, in that order.
    func settings(_ extra: [String: ConfigContent] = [:]) async throws -> Settings {
        var arguments = extra
        if let databaseURL { arguments["database.url"] = .string(databaseURL) }
        do {
            return try await Settings.load(arguments: arguments, configFile: configFile)
        } catch let error as SettingsError {
            throw CLIError(error.description)
        }
    }

    /// Opens the configured database and brings its schema up to date.
    func openDatabase(_ settings: Settings, logger: Logger? = nil) async throws -> Database {
        let logger = logger ?? .cli(settings)
        let database: Database
        do {
            database = try Database.open(settings.databaseURL, logger: logger)
        } catch {
            throw CLIError("cannot open database \(settings.databaseURL): \(Database.describe(error))")
        }
        do {
            try await Migrations.run(on: database)
        } catch {
            // A pool must be shut down before it is released, also when the server never answered.
            try? await database.close()
            throw CLIError("cannot open database \(settings.databaseURL): \(Database.describe(error))")
        }
        return database
    }

    /// Runs `body` with the database open and closes it afterwards, also on error.
    func withDatabase<T>(_ body: (Database, Settings) async throws -> T) async throws -> T {
        let settings = try await settings()
        return try await withDatabase(settings) { database in try await body(database, settings) }
    }

    /// `withDatabase` with settings already loaded (a command that reads a file by them first).
    func withDatabase<T>(_ settings: Settings, _ body: (Database) async throws -> T) async throws -> T {
        let database = try await openDatabase(settings)
        do {
            let result = try await body(database)
            try await database.close()
            return result
        } catch {
            try? await database.close()
            throw error
        }
    }
}

extension GlobalOptions {
    /// Runs `body` with the dependencies the composition root builds over the open database
    /// (`AppDependencies.live`): the same gate, scheduler and stores `serve` uses.
    func withDependencies<T>(_ body: (AppDependencies, Settings) async throws -> T) async throws -> T {
        try await withDatabase { database, settings in
            try await body(.live(settings: settings, database: database, logger: .cli(settings)), settings)
        }
    }
}

/// A failure the user can act on, printed as one line (`Error: …`) with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Logger {
    /// Commands log warnings and errors only, to standard error, unless `log.level` says otherwise.
    static func cli(_ settings: Settings) -> Logger {
        var logger = Logger(label: "certwatch")
        logger.logLevel = settings.logLevel ?? .warning
        return logger
    }
}
