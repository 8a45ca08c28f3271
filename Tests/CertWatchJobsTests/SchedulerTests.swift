import CertWatchCore
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// The scheduler on a real database with an injected clock: a month of nights in a second,
/// two replicas, a missed week, and a crashed replica's run taken over.
@Suite struct SchedulerTests {
    actor Calls {
        var runs: [JobRun] = []
        func add(_ run: JobRun) { runs.append(run) }
    }

    func scheduler(_ database: Database, owner: String, cadence: JobCadence, calls: Calls, lease: TimeInterval = 60,
                   work: @escaping @Sendable () async throws -> Void = {}) -> Scheduler {
        Scheduler(jobs: [ScheduledJob(name: "nightly", cadence: cadence) { run in
            await calls.add(run)
            try await work()
            return "{}"
        }], database: database, owner: owner, lease: lease, logger: Logger(label: "test"))
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
