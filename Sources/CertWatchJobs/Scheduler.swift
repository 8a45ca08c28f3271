import CertWatchCore
import CertWatchStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// A job the scheduler runs once per slot of its cadence.
public struct ScheduledJob: Sendable {
    public var name: String
    public var cadence: JobCadence
    /// Does the work and returns its counts as JSON. `run.startedAt` is when the slot was first
    /// claimed: a run taken over from a crashed replica skips what was finished since then.
    public var work: @Sendable (_ run: JobRun) async throws -> String

    public init(name: String, cadence: JobCadence, work: @escaping @Sendable (_ run: JobRun) async throws -> String) {
        self.name = name
        self.cadence = cadence
        self.work = work
    }
}

/// Runs each job once per slot across every replica sharing the database. Each tick, every
/// replica tries to claim the job's latest slot; the unique `(job, slot)` row lets one win, and
/// its lease (renewed while it works) lets another take over if it dies. A slot missed while
/// every replica was down is the latest slot at start-up, so it runs once. A run started by hand
/// whose replica died is taken over the same way at the next tick after its lease ran out (or,
/// when no other replica can redo it, closed as `abandoned`), and so is a *Verify now* whose
/// process died: nothing says `running` without a live lease.
///
/// Reads: `schedule.nightlyAt`, `schedule.timeZone`, `schedule.alertScanIntervalSeconds` (through the jobs it is given).
public struct Scheduler: Service {
    public let jobs: [ScheduledJob]
    let store: JobRunStore
    let verifications: VerificationStore
    let owner: String
    /// How long a run is held without renewal; *Verify now* runs use the same.
    public let lease: TimeInterval
    let tick: Duration
    /// The wall clock slots and leases are reckoned in.
    let clock: @Sendable () -> Date
    /// What the tick and the lease renewal sleep on; tests pass a clock they move by hand, the
    /// same one `clock` reads, so a lease is tested without waiting for it.
    let sleepClock: any Clock<Duration>
    let logger: Logger

    public init(jobs: [ScheduledJob], database: Database, owner: String, lease: TimeInterval = 60, tick: Duration = .seconds(5),
                clock: @escaping @Sendable () -> Date = Date.init, sleepClock: any Clock<Duration> = ContinuousClock(),
                logger: Logger) {
        self.jobs = jobs
        self.store = JobRunStore(database: database)
        self.verifications = VerificationStore(database: database)
        self.owner = owner
        self.lease = lease
        self.tick = tick
        self.clock = clock
        self.sleepClock = sleepClock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            _ = await runDue()
            try? await cancelWhenGracefulShutdown { try await sleepClock.sleep(for: tick) }
        }
    }

    /// Claims and runs every job whose latest slot nobody has run, then every run whose replica
    /// died (`takeOverExpired`); returns the runs it made.
    public func runDue(now: Date? = nil) async -> [JobRun] {
        var ran: [JobRun] = []
        for job in jobs {
            let instant = now ?? clock()
            let slot = job.cadence.latestSlot(atOrBefore: instant)
            do {
                if let run = try await store.claim(job: job.name, slot: slot.key, owner: owner, lease: lease, now: instant) {
                    ran.append(await execute(job, run))
                }
                ran += try await takeOverExpired(job, now: now ?? clock())
            } catch {
                logger.error("could not claim a job slot", metadata: ["job": "\(job.name)", "error": "\(Database.describe(error))"])
            }
        }
        do {
            let closed = try await verifications.abandonExpired(now: now ?? clock())
            if closed > 0 { logger.warning("closed verifications whose process stopped as abandoned", metadata: ["runs": "\(closed)"]) }
        } catch {
            logger.error("could not close abandoned verifications", metadata: ["error": "\(Database.describe(error))"])
        }
        return ran
    }

    /// Runs of `job` whose lease ran out unfinished — any slot, runs started by hand included:
    /// each resumable one is claimed and finished here, as a crashed scheduled slot is (its
    /// attempt count goes up, and the work skips what was done); one that only its own process
    /// could do is closed as `abandoned` with the reason, its verification run too.
    func takeOverExpired(_ job: ScheduledJob, now: Date) async throws -> [JobRun] {
        var ran: [JobRun] = []
        for expired in try await store.expired(job: job.name, now: now) {
            if expired.resumable {
                guard let run = try await store.claim(job: job.name, slot: expired.slot, owner: owner, lease: lease, now: now) else { continue }
                logger.notice("taking over a run whose replica stopped", metadata: ["job": "\(job.name)", "slot": "\(run.slot)", "attempt": "\(run.attempts)"])
                ran.append(await execute(job, run))
            } else if try await store.abandon(expired, reason: Self.abandonedReason, now: now) {
                try await verifications.abandon(runId: expired.id, reason: Self.abandonedReason, now: now)
                logger.warning("closed a run no replica can redo as abandoned", metadata: ["job": "\(job.name)", "slot": "\(expired.slot)"])
            }
        }
        return ran
    }

    static let abandonedReason = "the process running it stopped before it finished, and no other replica can redo its work (it was given a file); run it again"

    /// What asking to run a job by hand found.
    public enum ManualClaim: Sendable {
        case claimed(ScheduledJob, JobRun)
        /// A run of the job (scheduled or by hand, on any replica) is under way: follow it.
        case running(JobRun)
        case unknownJob
    }

    /// Claims a run of `name` outside its cadence (an operator's "run now"); `execute` it next.
    /// A job runs once at a time across every replica, so while one runs this answers that run.
    public func claimNow(_ name: String, resumable: Bool = true) async throws -> ManualClaim {
        guard let job = jobs.first(where: { $0.name == name }) else { return .unknownJob }
        let now = clock()
        switch try await store.attemptClaim(job: name, slot: "manual \(Timestamp.format(now))", owner: owner, lease: lease, now: now,
                                            resumable: resumable) {
        case .claimed(let run): return .claimed(job, run)
        case .running(let run): return .running(run)
        case .taken: throw ManualSlotTaken(slot: "manual \(Timestamp.format(now))")
        }
    }

    /// Two "run now" requests in the same millisecond on one job: the second is refused.
    public struct ManualSlotTaken: Error, CustomStringConvertible {
        public var slot: String
        public var description: String { "a run for slot \(slot) was already claimed" }
    }

    /// Works with the lease renewed every third of its length; stops if the lease is lost. On
    /// shutdown the work is cancelled and the run released for another replica to finish.
    public func execute(_ job: ScheduledJob, _ run: JobRun) async -> JobRun {
        let started = ContinuousClock.now
        logger.info("job started", metadata: ["job": "\(job.name)", "slot": "\(run.slot)", "attempt": "\(run.attempts)"])
        // Shutdown cancels the work: a nightly run may take minutes, and another replica (or
        // this one after its restart) takes the released run over.
        let result: Result<String, any Error> = await cancelWhenGracefulShutdown { await withTaskGroup(of: Result<String, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await job.work(run)) } catch { return .failure(error) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await sleepClock.sleep(for: .seconds(lease / 3))
                    guard !Task.isCancelled else { return nil }
                    if (try? await store.renew(run, owner: owner, lease: lease, now: clock())) == false {
                        return .failure(LeaseLost())
                    }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(CancellationError())
        } }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        var finished = run
        finished.finishedAt = clock()
        switch result {
        case .success(let summary):
            finished.outcome = .succeeded
            finished.summary = summary
        case .failure(let error as LeaseLost):
            logger.error("job lost its lease; another replica has it", metadata: ["job": "\(job.name)", "error": "\(error)"])
            return run
        case .failure(is CancellationError):
            try? await store.release(run, owner: owner, now: clock())
            logger.notice("job stopped by shutdown; released for another replica", metadata: ["job": "\(job.name)"])
            return run
        case .failure(let error):
            finished.outcome = .failed
            finished.error = Database.describe(error)
        }
        _ = try? await store.finish(run, owner: owner, outcome: finished.outcome!, summary: finished.summary, error: finished.error, now: finished.finishedAt!)
        Timer(label: "certwatch_job_duration_seconds", dimensions: [("job", job.name), ("outcome", finished.outcome!.rawValue)])
            .recordNanoseconds(Int64(seconds * 1e9))
        logger.info("job finished", metadata: [
            "job": "\(job.name)", "slot": "\(run.slot)", "outcome": "\(finished.outcome!.rawValue)",
            "seconds": "\(String(format: "%.2f", seconds))", "summary": "\(finished.summary ?? finished.error ?? "")",
        ])
        return finished
    }

    struct LeaseLost: Error, CustomStringConvertible {
        var description: String { "the run's lease ran out and another replica took it over" }
    }
}
