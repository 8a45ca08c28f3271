import ArgumentParser
import CertWatchApp
import CertWatchStore
import Foundation

/// `certwatch audit verify` and `certwatch audit export SUPPLIER --out FILE.zip`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check and export the evidence an inspector asks for.",
        subcommands: [Verify.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the purchase-check hash chain; exit 1 and name the first broken record if it does not hold.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let report = try await options.withDatabase { database, _ in try await AuditChain(database: database).verify() }
            if json {
                try Output.json(report)
            } else if let broken = report.firstBroken {
                print("BROKEN at record \(broken.seq)\(broken.id.map { " (check \($0))" } ?? ""): \(broken.problem)")
                print("\(report.checked) records before it are intact")
            } else {
                print("intact: \(report.checked) purchase checks, head hash \(report.headHash)")
            }
            if !report.intact { throw ExitCode.failure }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one supplier's evidence (supplier, certificate, verifications, status history, purchase checks; CSV and JSON) to a zip.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The supplier: NOP operation ID, id or exact name; the id of a deleted supplier still exports its evidence.")
        var supplier: String
        @Option(help: "The zip file to write.") var out: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let summary = try await options.withDatabase { database, _ in
                let found = try await SupplierStore(database: database).lookup(supplier)
                guard found.count <= 1 else { throw CLIError("“\(supplier)” matches \(found.count) suppliers; give the NOP operation ID or the id") }
                return try await AuditExport(database: database)
                    .write(supplierId: found.first?.supplier.id ?? supplier, to: URL(fileURLWithPath: out))
            }
            if json {
                try Output.json(summary)
            } else {
                print("wrote \(out): \(summary.verifications) verifications, \(summary.statusChanges) status changes, \(summary.purchaseChecks) purchase checks")
            }
        }
    }
}
