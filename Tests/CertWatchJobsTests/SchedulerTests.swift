import CertWatchCore
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// The scheduler on a real database with an injected clock: a month of nights in a second,
/// two replicas, a missed week, and a crashed replica's run taken over.
@Suite struct SchedulerTests {
    actor Calls {
        var runs: [JobRun] = []
        func add(_ run: JobRun) { runs.append(run) }
    }

    func scheduler(_ database: Database, owner: String, cadence: JobCadence, calls: Calls, lease: TimeInterval = 60,
                   clock: @escaping @Sendable () -> Date = Date.init,
                   work: @escaping @Sendable () async throws -> Void = {}) -> Scheduler {
        Scheduler(jobs: [ScheduledJob(name: "nightly", cadence: cadence) { run in
            await calls.add(run)
            try await work()
            return "{}"
        }], database: database, owner: owner, lease: lease, clock: clock, logger: Logger(label: "test"))
    }

    /// A wall clock the test moves by hand.
    final class Wall: Sendable {
        let now: Mutex<Date>
        init(_ start: Date) { now = Mutex(start) }
        func read() -> Date { now.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { now.withLock { $0.addTimeInterval(seconds) } }
    }

    /// 14:00 UTC today: after the night's 02:30 slot, whatever the date.
    static let afternoon = CalendarDate(utc: Date()).startOfDayUTC.addingTimeInterval(14 * 3_600)

    /// Replicas a and b of the nightly job on one hand-moved clock, from 14:00 UTC today.
    func twoReplicasOnOneClock(_ database: Database) -> (Calls, Wall, Scheduler, Scheduler) {
        let calls = Calls()
        let wall = Wall(Self.afternoon)
        let cadence = JobCadence.daily(at: TimeOfDay("02:30")!, zone: .gmt)
        return (calls, wall, scheduler(database, owner: "a", cadence: cadence, calls: calls, clock: wall.read),
                scheduler(database, owner: "b", cadence: cadence, calls: calls, clock: wall.read))
    }

    /// Issue 25: a run started by hand whose replica died is not `running` for ever: after its
    /// lease, the next tick of any replica takes it over and finishes it, as a scheduled slot is.
    @Test(arguments: Backend.allCases)
    func aRunStartedByHandWhoseReplicaDiedIsFinishedByAnother(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let (calls, wall, a, b) = twoReplicasOnOneClock(database)
            _ = await b.runDue(now: wall.read())  // the night's slot, done
            guard case .claimed(_, let started) = try await a.claimNow("nightly") else { Issue.record("a claims the run"); return }
            // Replica a dies here: it never works on the run nor renews its lease.
            wall.advance(30)
            #expect(await b.runDue(now: wall.read()).isEmpty, "within its lease the run is a's")
            wall.advance(31)
            let ran = await b.runDue(now: wall.read())
            #expect(ran.map(\.id) == [started.id] && ran.first?.attempts == 2 && ran.first?.outcome == .succeeded, "\(ran)")
            #expect(await calls.runs.last?.slot == started.slot, "its work ran, as a taken-over slot's does")
            #expect(await b.runDue(now: wall.read().addingTimeInterval(120)).isEmpty, "once finished, nothing more")
        }
    }

    /// A run only its own process could do (a file import) is closed as abandoned, with its
    /// verification run, instead of being redone with the job's own work.
    @Test(arguments: Backend.allCases)
    func aRunNoOtherReplicaCanRedoIsClosedAsAbandoned(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let (calls, wall, a, b) = twoReplicasOnOneClock(database)
            _ = await b.runDue(now: wall.read())
            guard case .claimed(_, let started) = try await a.claimNow("nightly", resumable: false) else { Issue.record("a claims the run"); return }
            let verifications = VerificationStore(database: database)
            try await verifications.save(VerificationRun(id: started.id, startedAt: started.startedAt, source: "file"))
            wall.advance(61)
            #expect(await b.runDue(now: wall.read()).isEmpty, "not redone")
            let closed = try #require(try await JobRunStore(database: database).runs(of: "nightly").first { $0.id == started.id })
            #expect(closed.outcome == .abandoned && closed.error?.contains("no other replica can redo") == true, "\(closed)")
            let run = try await verifications.run(id: started.id)
            #expect(run?.outcome == .abandoned && run?.finishedAt != nil)
            #expect(await calls.runs.count == 1, "only the night's slot ran")
        }
    }

    /// A verification that is not a job run (*Verify now*, `verify SUPPLIER`) renews its own lease
    /// while it works, so no sweep closes it meanwhile; once its holder is gone the lease runs out.
    @Test func aRunHoldingItsLeaseIsNotClosedWhileItWorks() async throws {
        try await withTestDatabase(.sqlite) { database in
            let store = VerificationStore(database: database)
            let clock = ManualClock(start: Date())
            try await store.save(VerificationRun(id: "live", startedAt: clock.date(), source: "bulk"))
            let (finished, finish) = AsyncStream.makeStream(of: Void.self)
            // Slow work: it ends when the test says, 80 s of clock later, past the first 60 s lease.
            async let closedWhileWorking = VerificationJob.holdingLease(runId: "live", database: database, lease: 60,
                                                                       clock: clock, now: clock.date) {
                for await _ in finished {}
                return try await store.abandonExpired(now: clock.date())
            }
            for _ in 0..<2 {
                _ = try await eventually("the renewal to wait for its next turn") { clock.sleeperCount > 0 ? true : nil }
                clock.advance(by: .seconds(40))
            }
            _ = try await eventually("the second renewal to be written") { clock.sleeperCount > 0 ? true : nil }
            finish.finish()
            #expect(try await closedWhileWorking == 0, "renewed while it worked")
            #expect(try await store.abandonExpired(now: clock.date().addingTimeInterval(61)) == 1, "with nobody renewing, it runs out")
        }
    }

    /// A *Verify now* whose process died: closed as abandoned once its own lease runs out, never
    /// before, and a finished one is left alone.
    @Test(arguments: Backend.allCases)
    func aVerifyNowWhoseProcessDiedIsClosedAsAbandoned(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let wall = Wall(Self.afternoon)
            let replica = scheduler(database, owner: "b", cadence: .daily(at: TimeOfDay("02:30")!, zone: .gmt), calls: Calls(), clock: wall.read)
            let verifications = VerificationStore(database: database)
            var dead = VerificationRun(id: "dead", startedAt: wall.read(), source: "pending")
            var done = VerificationRun(id: "done", startedAt: wall.read(), source: "pending")
            for run in [dead, done] {
                try await verifications.save(run)
                try await verifications.renewLease(runId: run.id, until: wall.read().addingTimeInterval(60))
            }
            done.outcome = .completed
            try await verifications.save(done)
            wall.advance(30)
            _ = await replica.runDue(now: wall.read())
            #expect(try await verifications.run(id: "dead")?.outcome == .running, "its lease still runs")
            wall.advance(31)
            _ = await replica.runDue(now: wall.read())
            dead = try #require(try await verifications.run(id: "dead"))
            #expect(dead.outcome == .abandoned && dead.reason?.contains("stopped before it finished") == true)
            #expect(try await verifications.run(id: "done")?.outcome == .completed)
        }
    }

    func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test(arguments: Backend.allCases)
    func twoReplicasRunEachNightOfAMonthOnce(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let calls = Calls()
            // March 2026 in Chicago has the spring-forward night.
            let cadence = JobCadence.daily(at: TimeOfDay("02:30")!, zone: TimeZone(identifier: "America/Chicago")!)
            let replicas = ["a", "b"].map { scheduler(database, owner: $0, cadence: cadence, calls: calls) }
            var now = instant("2026-03-01T12:00:00Z")
            while now < instant("2026-04-01T00:00:00Z") {
                for replica in replicas { _ = await replica.runDue(now: now) }
                now.addTimeInterval(1_800)
            }
            let runs = await calls.runs
            #expect(runs.count == 31, "1 March … 31 March")
            #expect(Set(runs.map(\.slot)).count == runs.count, "no slot twice")
            #expect(Set(runs.compactMap(\.leaseOwner)) == ["a"], "the first replica to tick wins each slot")
            let stored = try await JobRunStore(database: database).runs(of: "nightly")
            #expect(stored.count == 31 && stored.allSatisfy { $0.outcome == .succeeded })
        }
    }

    @Test(arguments: Backend.allCases)
    func aWeekMissedWhileDownRunsOnceAtStartUp(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let calls = Calls()
            let nightly = scheduler(database, owner: "a", cadence: .daily(at: TimeOfDay("02:30")!, zone: .gmt), calls: calls)
            _ = await nightly.runDue(now: instant("2026-11-01T03:00:00Z"))
            _ = await nightly.runDue(now: instant("2026-11-08T10:00:00Z"))
            _ = await nightly.runDue(now: instant("2026-11-08T11:00:00Z"))
            #expect(await calls.runs.map(\.slot) == ["2026-11-01", "2026-11-08"])
        }
    }

    @Test(arguments: Backend.allCases)
    func aCrashedReplicasRunIsTakenOverAfterItsLease(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = JobRunStore(database: database)
            let crashedAt = instant("2026-11-23T02:31:00Z")
            let crashed = try #require(try await store.claim(job: "nightly", slot: "2026-11-23", owner: "a", lease: 60, now: crashedAt))
            let calls = Calls()
            let survivor = scheduler(database, owner: "b", cadence: .daily(at: TimeOfDay("02:30")!, zone: .gmt), calls: calls)
            #expect(await survivor.runDue(now: crashedAt.addingTimeInterval(30)).isEmpty, "the lease still holds")
            let taken = await survivor.runDue(now: crashedAt.addingTimeInterval(61))
            #expect(taken.map(\.outcome) == [.succeeded])
            let resumed = try #require(await calls.runs.first)
            #expect(resumed.id == crashed.id && resumed.attempts == 2 && resumed.startedAt == crashed.startedAt,
                    "the same run, resumed from when it first started")
            #expect(try await store.finish(crashed, owner: "a", outcome: .succeeded, summary: nil, error: nil, now: Date()) == false,
                    "the crashed replica cannot finish what it lost")
        }
    }

    /// On a clock moved by hand: replica a holds an hourly job while its work waits; each third
    /// of the 1.5 s lease it renews; after 2.5 s (a lease that was not renewed would have run out)
    /// replica b still finds the slot taken.
    @Test func aRenewedLeaseKeepsOtherReplicasOff() async throws {
        try await withTestDatabase(.sqlite) { database in
            let calls = Calls()
            let clock = ManualClock(start: instant("2026-11-23T14:10:00Z"))
            let (finish, finishWork) = AsyncStream<Void>.makeStream()
            func replica(_ owner: String, work: @escaping @Sendable () async throws -> Void = {}) -> Scheduler {
                Scheduler(jobs: [ScheduledJob(name: "hourly", cadence: .every(seconds: 3_600)) { run in
                    await calls.add(run)
                    try await work()
                    return "{}"
                }], database: database, owner: owner, lease: 1.5, clock: { clock.date() }, sleepClock: clock, logger: Logger(label: "test"))
            }
            let slow = replica("a") { for await _ in finish {} }
            let other = replica("b")
            async let first = slow.runDue()
            _ = try await eventually("replica a working and its renewal waiting") {
                await calls.runs.count == 1 && clock.sleeperCount == 1 ? true : nil
            }
            for _ in 0..<5 {
                clock.advance(by: .milliseconds(500))
                _ = try await eventually("the renewal done and waiting again") { clock.sleeperCount == 1 ? true : nil }
            }
            #expect(await other.runDue().isEmpty, "renewed every 0.5 s, the 1.5 s lease never ran out")
            finishWork.finish()
            #expect(await first.map(\.outcome) == [.succeeded])
            #expect(await calls.runs.map(\.leaseOwner) == ["a"])
        }
    }
}
