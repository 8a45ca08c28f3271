import ArgumentParser
import CertWatchCore
import CertWatchStore
import Foundation

extension SuppliersCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import suppliers from CSV: all rows or none; re-importing updates by NOP ID.",
            discussion: "Columns: \(SupplierCSV.Column.allCases.map(\.rawValue).joined(separator: ", ")). Only name is required.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(name: .customLong("dry-run"), help: "Validate and count, write nothing.") var dryRun = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            let rows: [SupplierCSV.Row]
            do {
                rows = try SupplierCSV.rows(from: Array(data))
            } catch {
                throw reject(error)
            }
            let interactive = Output.isInteractive && !json
            let report = try await options.withDatabase { database, _ in
                do {
                    let report = try await SupplierImporter(database: database).run(rows, dryRun: dryRun, progress: Output.progress("imported"))
                    if !dryRun {
                        try await ActivityLog(database: database).append(actor: UsersCommand.actor, action: "suppliers.imported", subject: nil,
                                                                         detail: "\(report.created) created, \(report.updated) updated from \(file)")
                    }
                    return report
                } catch let error as ValidationFailure {
                    throw reject(error)
                }
            }
            if interactive && !dryRun { Output.error("") }
            if json { return try Output.json(report) }
            let verb = dryRun ? "would import" : "imported"
            print("\(verb) \(report.rows) rows from \(file): \(report.created) new, \(report.updated) updated")
        }

        /// Lists every bad row on standard error and returns the one-line reason to exit with.
        private func reject(_ failure: ValidationFailure) -> CLIError {
            for error in failure.errors { Output.error("\(file):\(error)") }
            return CLIError("\(file) has \(failure.errors.count) error(s); nothing was imported")
        }
    }
}
