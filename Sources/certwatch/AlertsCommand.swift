import ArgumentParser
import CertWatchCore
import CertWatchStore
import Foundation

/// `certwatch alerts list --upcoming 60d`: the expiry ladder ahead, as the alert planner sees it.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Certificates about to lapse and the alerts they raise.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Certified suppliers whose valid-to or NOP anniversary date falls within the window (or has passed), soonest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The window ahead, e.g. 60d or 60.", transform: Self.days) var upcoming: Int
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
            let today = CalendarDate(utc: Date())
            let rows = try await options.withDatabase { database, settings in
                let planner = AlertPlanner(thresholdDays: settings.alertThresholdDays)
                return try await SupplierStore(database: database).lapsing(through: today.adding(days: upcoming)).compactMap { lapsing -> Row? in
                    guard let governing = GoverningDate(lapsing.certificate) else { return nil }
                    let planned = planner.plan(supplierId: lapsing.supplierId, certificate: lapsing.certificate, today: today)
                    return Row(supplierId: lapsing.supplierId, name: lapsing.name, nopOperationId: lapsing.nopOperationId,
                               governingDate: governing.date, basis: governing.basis,
                               daysLeft: governing.date.daysSinceEpoch - today.daysSinceEpoch, alert: planned?.kind.rawValue,
                               thresholdDays: planned.flatMap { $0.kind == .certificateExpiring ? $0.thresholdDays : nil })
                }
            }
            if json { return try Output.json(rows) }
            Output.table(["DAYS", "DATE", "BASIS", "ALERT", "NOP ID", "SUPPLIER"], rows.map { row in
                let alert = row.alert == AlertKind.certificateExpired.rawValue ? "expired" : row.thresholdDays.map { "\($0)-day" } ?? "-"
                return [String(row.daysLeft), row.governingDate.description, row.basis == "valid_to" ? "valid to" : "anniversary",
                        alert, row.nopOperationId ?? "-", row.name]
            })
        }
    }
}
