import ArgumentParser
import CertWatchJobs
import CertWatchCore
import CertWatchStore
import Foundation
import Logging

/// `certwatch retention report` and `certwatch retention purge --before DATE`: records are kept
/// `retention.years` (7 CFR 205.103: five) and only what has outlived that can go.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "What has outlived retention.years, and removing only that.",
        subcommands: [Report.self, Purge.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count the documents, verifications and purchase checks a purge may remove today.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let (counts, years) = try await options.withDatabase { database, settings in
                (try await RetentionStore(database: database, period: settings.retention).report(), settings.retention.years)
            }
            if json { return try Output.json(counts) }
            print("kept \(years) years (retention.years); made before \(counts.before), a purge may remove:")
            print("  \(counts.documents) documents, \(counts.verifications) verifications, \(counts.purchaseChecks) purchase checks")
            print("certwatch retention purge --before \(counts.before)")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the records made before DATE; refused unless they have all been kept retention.years. The audit chain stays verifiable.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "YYYY-MM-DD: records made before this day go.") var before: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let day = CalendarDate(input: before) else { throw ValidationError("--before must be \(CalendarDate.inputRule)") }
            let (counts, sealed): (RetentionStore.Counts, [AuditCheckpoint]) = try await options.withDatabase { database, settings in
                let counts: RetentionStore.Counts
                do {
                    counts = try await RetentionStore(database: database, period: settings.retention).purge(before: day)
                } catch let refusal as RetentionStore.TooRecent {
                    throw CLIError(refusal.description)
                }
                // The purge is sealed at once, so a checkpoint file shows it was this purge.
                guard let key = settings.auditCheckpointKey, let through = counts.checksThrough else { return (counts, []) }
                return (counts, try await AuditSealing.sealPurge(through: through, database: database, key: key,
                                                                 logger: Logger(label: "certwatch.audit")))
            }
            if json { return try Output.json(counts) }
            print("removed \(counts.documents) documents, \(counts.verifications) verifications, \(counts.purchaseChecks) purchase checks made before \(day)")
            for checkpoint in sealed { print("sealed \(checkpoint.token)") }
        }
    }
}
