import ArgumentParser
import CertWatchApp
import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchServer
import CertWatchStore
import Foundation
import Logging
import Synchronization

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify suppliers against INTEGRITY now and record the evidence.")

    @OptionGroup var options: GlobalOptions
    @Flag(help: "Every supplier with a NOP operation ID.") var all = false
    @Argument(help: "One supplier: NOP operation ID, id or exact name.") var supplier: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard all != (supplier != nil) else { throw ValidationError("give either --all or one SUPPLIER") }
    }

    func run() async throws {
        let run = try await options.withDependencies { deps, settings in
            let database = deps.database
            let source = try await deps.integritySource()
            if let supplier {
                let id = try await resolve(supplier, database: database).supplier.id
                try await deps.stores.activity.append(actor: UsersCommand.actor, action: "verification.started", subject: id,
                                                      detail: "certwatch verify")
                // Not a job run: the run holds a lease of its own, so a killed command leaves no run `running`.
                let runId = RecordID.make()
                try await VerificationStore(database: database).save(VerificationRun(id: runId, startedAt: Date(), source: source.name))
                return try await VerificationJob.holdingLease(runId: runId, database: database, lease: TimeInterval(settings.jobLease.components.seconds)) {
                    try await VerificationJob.run(source: source, database: database, supplierIds: [id], runId: runId, logger: deps.logger,
                                                  progress: Output.progress("verified"))
                }
            }
            return try await verifyAllClaimed(source: source, deps: deps)
        }
        try report(run, json: json)
    }
}

/// Verifies the whole registry as a run of the `verification` job, so it never runs beside the
/// nightly verification or another run by hand, on any replica. If this process dies, a serving
/// replica finishes the run with the configured sources; a run from a file (`resumable` false)
/// is closed as abandoned instead, since no other process has the file.
func verifyAllClaimed(source: any IntegritySource, deps: AppDependencies, resumable: Bool = true) async throws -> VerificationRun {
    let finished = Mutex<VerificationRun?>(nil)
    let database = deps.database
    let outcome = try await deps.scheduler.runClaimed(JobName.verification.rawValue, resumable: resumable) { jobRun in
        let run = try await VerificationJob.run(source: source, database: database, runId: jobRun.id, logger: deps.logger,
                                                progress: Output.progress("verified"))
        finished.withLock { $0 = run }
        return try JobSummary.json(["verification": JobSummary.Counts(run)])
    }
    switch outcome {
    case .finished(let jobRun):
        guard let run = finished.withLock({ $0 }) else { throw CLIError("the verification stopped: \(jobRun.error ?? "cancelled")") }
        return run
    case .running(let jobRun):
        throw CLIError("a verification is already running (slot \(jobRun.slot), since \(jobRun.startedAt.utcMinuteText)); follow it with certwatch jobs")
    case .unknownJob:
        throw CLIError("no verification job is configured")
    }
}

/// `certwatch integrity import FILE` and `certwatch integrity search NAME`.
struct IntegrityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integrity", abstract: "Work with INTEGRITY's data directly.",
        subcommands: [Import.self, Search.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify every supplier from an INTEGRITY file downloaded by hand: the bulk export (zip or XML) or a monthly INTEGRITY_Data or INTEGRITY_Export workbook (.xlsx).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The downloaded file.") var file: String
        @Flag(name: .customLong("dry-run"), help: "Read and check the file against the registry; record nothing.") var dryRun = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard FileManager.default.isReadableFile(atPath: file) else { throw CLIError("cannot read \(file)") }
            let url = URL(fileURLWithPath: file)
            if dryRun { return try await check(url) }
            let run = try await options.withDependencies { deps, settings in
                try await verifyAllClaimed(source: settings.integrityFileSource(url), deps: deps, resumable: false)
            }
            try report(run, json: json)
        }

        /// Reads the file as a verification would and says what it found, writing nothing.
        private func check(_ url: URL) async throws {
            let (answer, registered) = try await options.withDatabase { database, settings in
                let source = settings.integrityFileSource(url)
                let suppliers = try await SupplierStore(database: database).linkedToIntegrity()
                do {
                    return (try await source.fetch(Set(suppliers.map(\.nopOperationId))), suppliers.count)
                } catch let rejected as IntegrityAnswerRejected {
                    throw CLIError("\(file) would be refused: \(rejected.reason)")
                }
            }
            let unreadable = answer.operations.values.filter { if case .failure = $0 { true } else { false } }.count
            let summary = DryRunSummary(
                operations: answer.directory.count, registered: registered, listed: answer.operations.count + answer.unchanged.count,
                unreadable: unreadable, digest: answer.digest)
            if json { return try Output.json(summary) }
            print("\(file): \(summary.operations) operations; \(summary.listed) of \(registered) registered suppliers listed, \(unreadable) unreadable; nothing recorded")
        }
    }

    struct DryRunSummary: Encodable {
        var operations: Int
        var registered: Int
        var listed: Int
        var unreadable: Int
        var digest: String
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find INTEGRITY operations by name, to link a supplier that has no NOP operation ID.",
            discussion: "Searches the directory saved by the last complete sync (bulk download or import). It only lists candidates: link one with suppliers add/PUT after checking it.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Words of the name (or the certifier's short name, e.g. MOSA).") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let found = try await options.withDatabase { database, _ in
                try await IntegrityDirectoryStore(database: database).search(name)
            }
            if json { return try Output.json(found) }
            Output.table(["NOP ID", "NAME", "OTHER NAMES", "CITY", "CERTIFIER", "STATUS"], found.map {
                [$0.nopOperationId, $0.name, $0.otherNames.joined(separator: "; "), $0.city ?? "-",
                 $0.certifierShortName ?? $0.certifier ?? "-", $0.status]
            })
        }
    }
}

/// Prints a run's summary: which source answered (and why any before it did not), the counts,
/// and the failed verifications grouped by reason. Exits 1 when any supplier's verification
/// failed (a refused answer fails them all), so a script never reads "done" when it was not.
private func report(_ run: VerificationRun, json: Bool) throws {
    if Output.isInteractive && !json { Output.error("") }
    if json {
        try Output.json(run)
    } else {
        print("\(run.source): \(run.verified) verified, \(run.changed) changed, \(run.notFound) not found, \(run.failed) failed (run \(run.id))")
        if run.firstSightings > 0 { print("  \(run.firstSightings) seen in INTEGRITY for the first time (first sightings, not changes)") }
        for declined in run.declined { print("  \(declined.source) did not answer: \(declined.reason)") }
        for failure in run.failures { print("  \(failure.suppliers) failed: \(failure.reason)") }
    }
    if run.outcome == .rejected { throw CLIError("INTEGRITY's answer was refused, no status changed: \(run.reason ?? "no reason")") }
    if run.failed > 0 {
        let reasons = run.failures.count == 1 ? "" : " for \(run.failures.count) different reasons"
        throw CLIError("\(run.failed) of \(run.verified + run.changed + run.notFound + run.failed) suppliers could not be verified\(reasons); see above")
    }
}

/// Resolves what a person typed to exactly one supplier.
func resolve(_ reference: String, database: Database) async throws -> StoredSupplier {
    let found = try await SupplierStore(database: database).lookup(reference)
    guard let first = found.first else { throw CLIError("no supplier matches \"\(reference)\"") }
    guard found.count == 1 else {
        throw CLIError("\"\(reference)\" matches \(found.count) suppliers; use an id: \(found.map(\.supplier.id).joined(separator: ", "))")
    }
    return first
}
