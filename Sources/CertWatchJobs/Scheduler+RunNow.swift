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
    /// every replica. The API's and the web page's "run now" both come here.
    public func runNow(_ name: String, in background: BackgroundWork) async throws -> RunNow {
        switch try await claimNow(name) {
        case .claimed(let job, let run):
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
