import ArgumentParser
import CertWatchAccounts
import CertWatchCore
import CertWatchApp
import CertWatchJobs
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
    @Flag(name: .customLong("sample-data"), help: """
        The offline demo: load Config/sample-suppliers.csv into an empty registry, create an admin key if none exists, and verify         against the bundled INTEGRITY snapshot (Config/sample-integrity.xml) instead of INTEGRITY.
        """)
    var sampleData = false

    func run() async throws {
        var arguments: [String: ConfigContent] = [:]
        if let host { arguments["http.host"] = .string(host) }
        if let port { arguments["http.port"] = .int(port) }
        let settings = try await options.settings(arguments)
        var logger = Logger(label: "certwatch")
        logger.logLevel = settings.logLevel ?? .info
        let database = try await options.openDatabase(settings, logger: logger)
        var snapshot: URL?
        defer { snapshot.map { try? FileManager.default.removeItem(at: $0) } }
        do {
            if sampleData { snapshot = try await SampleData.load(into: database, settings: settings, logger: logger) }
            try await Serve.run(settings: settings, database: database, logger: logger, integrityFile: snapshot)
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

    static let snapshotFile = "Config/sample-integrity.xml"

    /// On an installation without accounts, invites the first admin and prints the link that
    /// sets their password (once: the next start finds the account).
    static func inviteFirstAdmin(database: Database, settings: Settings, logger: Logger) async throws {
        let accounts = Accounts(settings: settings.accounts, database: database, mail: AccountMail(mailer: nil),
                                pageURL: settings.pageURL, logger: logger)
        guard try await accounts.store.list().isEmpty else { return }
        let invitation = try await accounts.invite(email: "admin@example.com", name: "Sample admin", role: .admin, by: "cli:sample-data")
        Output.now("""
            first admin sign-in link (shown once): \(invitation.link)
                (for admin@example.com; open it, choose a password, and invite your people on the People page)
            """)
    }

    /// Loads the sample, verifies it against the bundled snapshot, and returns the snapshot (dated
    /// to today) that this process's verifications then read.
    static func load(into database: Database, settings: Settings, logger: Logger) async throws -> URL {
        let today = CalendarDate(utc: Date())
        let suppliers = SupplierStore(database: database)
        if try await suppliers.count() == 0 {
            let csv = resolvingRelativeDates(try read(file), today: today)
            let report = try await SupplierImporter(database: database).run(try SupplierCSV.rows(from: Array(csv.utf8)), dryRun: false)
            Output.now("loaded \(report.created) sample suppliers from \(file)")
            try await recordImportCertificate(database, today: today)
        }
        let snapshot = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-sample-integrity-\(RecordID.make()).xml")
        try Data(resolvingRelativeDates(try read(snapshotFile), today: today).utf8).write(to: snapshot)
        let run = try await VerificationJob.run(source: settings.integrityFileSource(snapshot), database: database, logger: logger)
        Output.now("verified \(run.verified + run.changed) sample suppliers against the bundled INTEGRITY snapshot \(snapshotFile) (no network)")
        let keys = APIKeyStore(database: database)
        let base = "http://\(settings.httpHost):\(settings.httpPort)"
        let page = settings.httpPublicURL ?? base + "/"
        if try await keys.list().contains(where: { $0.role == .admin && $0.revokedAt == nil }) {
            Output.now("web page: \(page)   (an admin key already exists; make another with: certwatch keys create --name NAME --role admin)")
        } else {
            let (_, secret) = try await keys.create(name: "sample-admin", role: .admin)
            Output.now("""
                admin API key (shown once): \(secret)
                web page: \(page)   sign in with the key above
                try: curl -H 'Authorization: Bearer \(secret)' \(base)/v1/suppliers
                """)
        }
        try await inviteFirstAdmin(database: database, settings: settings, logger: logger)
        Output.now("API description: \(base)/openapi.yaml   health: \(base)/healthz   metrics: \(base)/metrics")
        return snapshot
    }

    /// The sample's NOP Import Certificate: the Austrian herb co-operative's peppermint, a year's
    /// time frame, so the demo's import check can name it.
    static let importCertificate = "NOP-IC-AT-2026-0001"

    private static func recordImportCertificate(_ database: Database, today: CalendarDate) async throws {
        guard let exporter = try await SupplierStore(database: database).lookup("Bergkräuter Genossenschaft").first else { return }
        let certificate = ImportCertificate(
            id: RecordID.make(), number: importCertificate, exporterId: exporter.supplier.id, importer: "Northern Organic Foods Inc.",
            kind: .timeFrame, validFrom: today.adding(days: -30), validTo: today.adding(days: 335), portOfEntry: "Chicago, IL",
            certifier: "Austria Bio Garantie", lines: [.init(product: "Peppermint", quantity: 5_000, unit: "kg")])
        _ = try await ImportCertificateStore(database: database).add(certificate, recordedBy: "sample-data")
        Output.now("recorded import certificate \(importCertificate) for Bergkräuter Genossenschaft (Peppermint, 5000 kg)")
    }

    private static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("--sample-data needs \(path); run from the repository's root")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The sample's dates are written as days from the day it is loaded (`today+45`), so the demo
    /// shows certificates that lapse soon, not ones that lapsed years ago, whatever the date.
    /// A real import file carries ISO dates.
    static func resolvingRelativeDates(_ csv: String, today: CalendarDate) -> String {
        csv.replacing(/today([+-][0-9]{1,6})/) { match in today.adding(days: Int(match.output.1) ?? 0).description }
    }
}
