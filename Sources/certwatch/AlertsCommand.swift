import ArgumentParser
import CertWatchCore
import CertWatchJobs
import CertWatchApp
import CertWatchServer  // AlertResponse: --json prints the API's shape
import CertWatchStore
import Foundation

/// `certwatch alerts list [--upcoming 60d]` and `certwatch alerts scan`.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Certificates about to lapse and the alerts they raise.", subcommands: [List.self, Scan.self, Deliver.self])

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the expiry alerts due today (each exactly once, so running it again creates nothing new).")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let summary = try await options.withDatabase { database, settings in
                try await AlertScan.run(database: database, thresholdDays: settings.alertThresholdDays)
            }
            if json { return try Output.json(summary) }
            print("\(summary.scanned) certificates within the alert window; \(summary.created) new alerts, \(summary.withdrawn) withdrawn")
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send every alert delivery that is due now, then exit (certwatch serve does this continuously).")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        struct Summary: Encodable {
            var deliveries = 0
            var delivered = 0
            var retrying = 0
            var failed = 0
            var seconds = 0.0
        }

        func run() async throws {
            let started = Date()
            var summary = try await deliverAll()
            summary.seconds = Date().timeIntervalSince(started)
            if json { return try Output.json(summary) }
            print("\(summary.deliveries) new deliveries; \(summary.delivered) delivered, \(summary.retrying) to retry later, \(summary.failed) failed (\(String(format: "%.2f", summary.seconds)) s)")
        }

        private func deliverAll() async throws -> Summary {
            try await options.withDatabase { database, settings in
                let worker = settings.deliveryWorker(database: database, logger: .cli(settings))
                var summary = Summary()
                while true {
                    let round = try await worker.runOnce()
                    guard round.foundWork else { return summary }
                    summary.deliveries += round.fannedOut
                    for verdict in round.webhooks + round.emails {
                        switch verdict {
                        case .delivered: summary.delivered += 1
                        case .retry: summary.retrying += 1
                        case .failed, .endpointGone: summary.failed += 1
                        }
                    }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The alerts created so far, newest first; with --upcoming, the certified suppliers whose valid-to or NOP anniversary date falls within the window (or has passed), soonest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Show the ladder ahead instead: a window, e.g. 60d or 60.", transform: Self.days) var upcoming: Int?
        @Option(help: "How many alerts to list.") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        static func days(_ text: String) throws -> Int {
            guard let days = Int(text.hasSuffix("d") ? String(text.dropLast()) : text), (0...3_650).contains(days) else {
                throw ValidationError("--upcoming takes a number of days, e.g. 60d")
            }
            return days
        }

        struct Row: Encodable {
            var supplierId: String
            var name: String
            var nopOperationId: String?
            var governingDate: CalendarDate
            /// `valid_to` (the certificate ends) or `anniversary` (the NOP annual update is due).
            var basis: String
            var daysLeft: Int
            /// `certificate.expiring` or `certificate.expired`; nil before the first threshold.
            var alert: String?
            var thresholdDays: Int?
        }

        func run() async throws {
            guard let upcoming else { return try await listCreated() }
            let today = CalendarDate(utc: Date())
            let rows = try await options.withDatabase { database, settings in
                let planner = AlertPlanner(thresholdDays: settings.alertThresholdDays)
                let registry = SupplierStore(database: database)
                let lapsing = try await registry.lapsing(through: today.adding(days: upcoming))
                let references = try await registry.references(ids: lapsing.map(\.supplierId))
                return lapsing.compactMap { lapsing -> Row? in
                    guard let reference = references[lapsing.supplierId] else { return nil }
                    let governing = lapsing.governing
                    let planned = planner.plan(supplierId: lapsing.supplierId, certified: governing, today: today)
                    return Row(supplierId: lapsing.supplierId, name: reference.name, nopOperationId: reference.nopOperationId,
                               governingDate: governing.date, basis: governing.basis,
                               daysLeft: governing.date.daysSinceEpoch - today.daysSinceEpoch, alert: planned?.kind.rawValue,
                               thresholdDays: planned.flatMap { $0.kind == .certificateExpiring ? $0.thresholdDays : nil })
                }.sorted { ($0.governingDate, $0.name, $0.supplierId) < ($1.governingDate, $1.name, $1.supplierId) }
            }
            if json { return try Output.json(rows) }
            Output.table(["DAYS", "DATE", "BASIS", "ALERT", "NOP ID", "SUPPLIER"], rows.map { row in
                let alert = row.alert == AlertKind.certificateExpired.rawValue ? "expired" : row.thresholdDays.map { "\($0)-day" } ?? "-"
                return [String(row.daysLeft), row.governingDate.description, row.basis == "valid_to" ? "valid to" : "anniversary",
                        alert, row.nopOperationId ?? "-", row.name]
            })
        }
    
        private func listCreated() async throws {
            let alerts = try await options.withDatabase { database, _ in
                try await AlertStore(database: database).list(.init(limit: limit)).items
            }
            if json { return try Output.json(alerts.map(AlertResponse.init)) }
            Output.table(["CREATED", "TYPE", "MESSAGE"], alerts.map { alert in
                [alert.createdAt.utcMinuteText, alert.kind.rawValue + (alert.withdrawnAt == nil ? "" : " (withdrawn)"), alert.data.message]
            })
        }
    }
}
