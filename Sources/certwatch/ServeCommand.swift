import ArgumentParser
import CertWatchCore
import CertWatchApp
import CertWatchStore
import Configuration
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP API, the scheduled jobs (nightly verification, alert scan) and the delivery of alerts.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Overrides http.host.") var host: String?
    @Option(help: "Overrides http.port.") var port: Int?
    @Flag(name: .customLong("sample-data"), help: "Load Config/sample-suppliers.csv into an empty registry and create an admin key if none exists.")
    var sampleData = false

    func run() async throws {
        var arguments: [String: ConfigContent] = [:]
        if let host { arguments["http.host"] = .string(host) }
        if let port { arguments["http.port"] = .int(port) }
        let settings = try await options.settings(arguments)
        var logger = Logger(label: "certwatch")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        let database = try await options.openDatabase(settings, logger: logger)
        if sampleData { try await SampleData.load(into: database, settings: settings) }
        do {
            try await Serve.run(settings: settings, database: database, logger: logger)
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }
}

/// The demo set-up behind the README's first command.
enum SampleData {
    static let file = "Config/sample-suppliers.csv"

    static func load(into database: Database, settings: Settings) async throws {
        let suppliers = SupplierStore(database: database)
        if try await suppliers.count() == 0 {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError("--sample-data needs \(file); run from the repository's root")
            }
            let csv = resolvingRelativeDates(String(decoding: data, as: UTF8.self), today: CalendarDate(utc: Date()))
            let report = try await SupplierImporter(database: database).run(try SupplierCSV.rows(from: Array(csv.utf8)), dryRun: false)
            Output.now("loaded \(report.created) sample suppliers from \(file)")
        }
        let keys = APIKeyStore(database: database)
        let base = "http://\(settings.httpHost):\(settings.httpPort)"
        if try await keys.list().contains(where: { $0.role == .admin && $0.revokedAt == nil }) {
            Output.now("an admin key already exists; make another with: certwatch keys create --name NAME --role admin")
        } else {
            let (_, secret) = try await keys.create(name: "sample-admin", role: .admin)
            Output.now("""
                admin API key (shown once): \(secret)
                try: curl -H 'Authorization: Bearer \(secret)' \(base)/v1/suppliers
                """)
        }
        Output.now("API description: \(base)/openapi.yaml   health: \(base)/healthz   metrics: \(base)/metrics")
    }

    /// The sample's dates are written as days from the day it is loaded (`today+45`), so the demo
    /// shows certificates that lapse soon, not ones that lapsed years ago, whatever the date.
    /// A real import file carries ISO dates.
    static func resolvingRelativeDates(_ csv: String, today: CalendarDate) -> String {
        csv.replacing(/today([+-][0-9]+)/) { match in today.adding(days: Int(match.output.1)!).description }
    }
}
