import ArgumentParser
import CertWatchCore
import CertWatchJobs
import CertWatchApp
import CertWatchStore
import Foundation

/// `certwatch jobs list|run NAME`: the scheduled jobs, their last and next runs, and "run now".
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "The scheduled jobs (verification, alert-scan, audit-checkpoint): last and next runs; run one now.",
        subcommands: [List.self, Run.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each scheduled job's last run and next slot.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            var name: String
            var lastSlot: String?
            var lastOutcome: String?
            var lastFinishedAt: Date?
            var lastSummary: String?
            var nextRunAt: Date
        }

        func run() async throws {
            let rows = try await options.withDependencies { deps, _ in
                let latest = try await deps.stores.jobRuns.latest()
                let jobs = deps.scheduler.jobs
                return jobs.map { job in
                    let last = latest[job.name]
                    return Row(name: job.name, lastSlot: last?.slot, lastOutcome: last.map { $0.outcome?.rawValue ?? "running" },
                               lastFinishedAt: last?.finishedAt, lastSummary: last?.summary ?? last?.error,
                               nextRunAt: job.cadence.nextSlot(after: Date()).start)
                }
            }
            if json { return try Output.json(rows) }
            Output.table(["JOB", "LAST SLOT", "OUTCOME", "NEXT RUN", "SUMMARY"], rows.map { row in
                [row.name, row.lastSlot ?? "-", row.lastOutcome ?? "-", row.nextRunAt.utcMinuteText, row.lastSummary ?? ""]
            })
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a job now, outside its schedule, and print its summary; exit 1 if it failed.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "verification, alert-scan or audit-checkpoint (when audit.checkpointKey is set)") var name: String

        func run() async throws {
            let finished = try await options.withDependencies { deps, _ -> JobRun in
                let scheduler = deps.scheduler
                switch try await scheduler.claimNow(name) {
                case .claimed(let job, let run): return await scheduler.execute(job, run)
                case .running(let run):
                    throw CLIError("\(name) is already running (slot \(run.slot), since \(run.startedAt.utcMinuteText)); follow it with certwatch jobs")
                case .unknownJob: throw CLIError("no scheduled job \(name); use verification, alert-scan or audit-checkpoint (when audit.checkpointKey is set)")
                }
            }
            guard finished.outcome == .succeeded else { throw CLIError("\(name) failed: \(finished.error ?? "stopped")") }
            print("\(name) finished: \(finished.summary ?? "")")
        }
    }
}
