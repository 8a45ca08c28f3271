import CertWatchStore
import Foundation

extension Scheduler {
    /// What asking for a run by hand did.
    public enum RunNow: Sendable {
        /// Claimed and handed to the background work; it shows in the job's runs when done.
        case started(JobRun)
        /// A run of the job (scheduled or by hand, on any replica) is under way: follow it.
        case running(JobRun)
        case unknownJob
        /// The process is shutting down; the claim was released.
        case shuttingDown
    }

    /// Starts a run of `name` now in `background` (which the service group owns, so shutdown
    /// waits for it), through the same claim as the scheduled runs: one run at a time across
    /// every replica. The API's and the web page's "run now" and the API's verification run all
    /// come here; `beforeStart` records what the caller answers with (a verification run to
    /// follow) between the claim and the start, and a claim it fails is released.
    public func runNow(_ name: String, in background: BackgroundWork,
                       beforeStart: (JobRun) async throws -> Void = { _ in }) async throws -> RunNow {
        switch try await claimNow(name) {
        case .claimed(let job, let run):
            do {
                try await beforeStart(run)
            } catch {
                try? await store.release(run, owner: owner, now: clock())
                throw error
            }
            guard background.start("job \(name)", { _ = await self.execute(job, run) }) else {
                try? await store.release(run, owner: owner, now: clock())
                return .shuttingDown
            }
            return .started(run)
        case .running(let run):
            return .running(run)
        case .unknownJob:
            return .unknownJob
        }
    }
}

extension Scheduler {
    /// What running other work under a job's claim did.
    public enum ClaimedRun: Sendable {
        case finished(JobRun)
        /// A run of the job is under way somewhere: nothing was done.
        case running(JobRun)
        case unknownJob
    }

    /// Runs `work` in place of job `name`'s own body, under the same claim and lease: the CLI's
    /// `verify --all` and `integrity import` verify with their own source but never beside the
    /// nightly verification, on any replica. `work` returns the run's summary.
    /// `resumable` false: if this process dies, another replica must not redo the run with the
    /// job's own work (an import of a file only this process has); it is closed as abandoned.
    public func runClaimed(_ name: String, resumable: Bool = true,
                           work: @escaping @Sendable (JobRun) async throws -> String) async throws -> ClaimedRun {
        switch try await claimNow(name, resumable: resumable) {
        case .claimed(let job, let run):
            return .finished(await execute(ScheduledJob(name: job.name, cadence: job.cadence, work: work), run))
        case .running(let run):
            return .running(run)
        case .unknownJob:
            return .unknownJob
        }
    }
}
