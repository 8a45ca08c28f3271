import ArgumentParser
import CertWatchApp
import CertWatchJobs
import CertWatchStore
import Foundation
import Logging

/// `certwatch audit verify`, `certwatch audit checkpoint` and `certwatch audit export SUPPLIER --out FILE.zip`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check and export the evidence an inspector asks for.",
        subcommands: [Verify.self, Checkpoint.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the purchase-check hash chain and compare it with its checkpoints; exit 1 and name the first broken record if it does not hold.")
        @OptionGroup var options: GlobalOptions
        @Option(name: .customLong("checkpoints"),
                help: "A file holding checkpoints kept outside the database (a log, webhook bodies, pasted tokens); repeatable. Needs audit.checkpointKey.")
        var checkpointFiles: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let report = try await options.withDatabase { database, settings in
                guard let key = settings.auditCheckpointKey else {
                    guard checkpointFiles.isEmpty else { throw CLIError("--checkpoints needs audit.checkpointKey, the key that sealed them") }
                    return try await AuditChain(database: database).verify()
                }
                var checkpoints = Set(try await AuditCheckpointStore(database: database).all())
                for file in checkpointFiles { checkpoints.formUnion(try CheckpointFile.read(file)) }
                return try await AuditChain(database: database).verify(checkpoints: Array(checkpoints),
                                                                       keys: [key] + settings.auditPreviousCheckpointKeys)
            }
            if json {
                try Output.json(report)
            } else if let broken = report.firstBroken {
                print("BROKEN at record \(broken.seq)\(broken.id.map { " (check \($0))" } ?? ""): \(broken.problem)")
                print("\(report.checked) records before it are intact")
            } else {
                print("intact: \(report.checked) purchase checks, head hash \(report.headHash)")
                if let sealed = report.lastSealed {
                    print("compared with \(report.checkpoints) checkpoints; sealed through record \(sealed)")
                }
            }
            if !report.intact { throw ExitCode.failure }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal the purchase-check chain's head now with audit.checkpointKey, and print the checkpoint to keep.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let sealed = try await options.withDatabase { database, settings in
                guard let key = settings.auditCheckpointKey else { throw CLIError("audit.checkpointKey is not set: there is no key to seal with") }
                return try await AuditSealing.sealHead(database: database, key: key, logger: Logger(label: "certwatch.audit"))
            }
            if sealed.isEmpty { print("nothing new to seal: the chain's head is sealed already (or holds no checks)") }
            for checkpoint in sealed { print(checkpoint.token) }
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
