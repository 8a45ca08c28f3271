import CertWatchCore
import Foundation
import SQLKit

/// A scheduled job's run for one slot.
public struct JobRun: Sendable, Equatable {
    /// `abandoned`: its process stopped and no other replica can redo its work (an operator's
    /// file import); `error` says so.
    public enum Outcome: String, Sendable, Codable {
        case succeeded, failed, abandoned
    }

    public var id: String
    public var job: String
    public var slot: String
    /// When the slot was first claimed; a run taken over keeps it, so "verified since the run
    /// started" tells finished work from unfinished.
    public var startedAt: Date
    public var leaseOwner: String?
    /// How many replicas have held the run: more than 1 means it was taken over.
    public var attempts: Int
    public var finishedAt: Date?
    public var outcome: Outcome?
    /// The job's own counts, as JSON.
    public var summary: String?
    public var error: String?
    /// Whether another replica may take the run over when its lease runs out (false for work only
    /// its own process can do, such as importing a file that process was given).
    public var resumable = true
}

/// Claims, renews and finishes job runs. Exactly one replica runs a slot: the `(job, slot)` key is
/// unique, and a takeover is a conditional update that only one replica's statement can win.
public struct JobRunStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The run for `slot` if this replica may run it now: newly inserted, or unfinished with its
    /// lease run out (a crashed replica's). Nil when another replica has it or it is done, and
    /// while another run of the job holds a live lease: a job never runs twice at once (a run
    /// started by hand and the nightly slot included); the slot is claimed at a tick after it ends.
    public func claim(job: String, slot: String, owner: String, lease: TimeInterval, now: Date) async throws -> JobRun? {
        // A takeover keeps the run's own `resumable`; only a new row takes the default.
        if case .claimed(let run) = try await attemptClaim(job: job, slot: slot, owner: owner, lease: lease, now: now) { return run }
        return nil
    }

    /// What asking to run a job now found.
    public enum Claim: Sendable {
        case claimed(JobRun)
        /// Another run of the job holds a live lease: the caller follows it instead.
        case running(JobRun)
        /// The slot is done or taken.
        case taken
    }

    /// `claim`, saying which run holds the job when it is not this one's turn: an operator's
    /// "run now" answers with the running run instead of starting a second.
    public func attemptClaim(job: String, slot: String, owner: String, lease: TimeInterval, now: Date,
                             resumable: Bool = true) async throws -> Claim {
        let until = Timestamp.format(now.addingTimeInterval(lease))
        return try await database.transaction { db in
            if database.dialect == .postgres {
                // Two replicas checking "is one running?" at once must not both see "no".
                try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.claimLockKey)), hashtext(\(bind: job))) AS locked").run()
            }
            if let running = try await db.raw("""
                SELECT * FROM job_runs WHERE job = \(bind: job) AND slot <> \(bind: slot) AND finished_at IS NULL
                AND lease_expires_at > \(bind: Timestamp.format(now)) LIMIT 1
                """).first().map(Self.run) {
                return .running(running)
            }
            let inserted = try await db.insert(into: "job_runs")
                .columns("id", "job", "slot", "started_at", "lease_owner", "lease_expires_at", "attempts", "resumable")
                .values(RecordID.make(at: now), job, slot, Timestamp.format(now), owner, until, 1, resumable ? 1 : 0)
                .ignoringConflicts(with: ["job", "slot"]).returning("*").first()
            if let inserted { return .claimed(try Self.run(inserted)) }
            let takenOver = try await db.raw("""
                UPDATE job_runs SET lease_owner = \(bind: owner), lease_expires_at = \(bind: until), attempts = attempts + 1
                WHERE job = \(bind: job) AND slot = \(bind: slot) AND finished_at IS NULL AND resumable = 1
                AND lease_expires_at <= \(bind: Timestamp.format(now))
                RETURNING *
                """).first().map(Self.run)
            return takenOver.map(Claim.claimed) ?? .taken
        }
    }

    /// The first key of the advisory lock that serialises claims of one job on PostgreSQL (the
    /// second is the job name's hash). A constant of CertWatch's own; never change it.
    static let claimLockKey = 727_275

    /// Extends the lease while the run works; false when it was lost (the run must stop).
    public func renew(_ run: JobRun, owner: String, lease: TimeInterval, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE job_runs SET lease_expires_at = \(bind: Timestamp.format(now.addingTimeInterval(lease)))
                WHERE id = \(bind: run.id) AND lease_owner = \(bind: owner) AND finished_at IS NULL RETURNING id
                """).first() != nil
        }
    }

    /// Gives the run up unfinished (shutdown): any replica may take it over at once.
    public func release(_ run: JobRun, owner: String, now: Date) async throws {
        try await database.withConnection { db in
            try await db.update("job_runs").set("lease_expires_at", to: Timestamp.format(now))
                .where("id", .equal, run.id).where("lease_owner", .equal, owner).where(SQLIdentifier("finished_at"), .is, SQLLiteral.null).run()
        }
    }

    /// Records how the run ended, if this replica still holds it.
    @discardableResult
    public func finish(_ run: JobRun, owner: String, outcome: JobRun.Outcome, summary: String?, error: String?, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE job_runs SET finished_at = \(bind: Timestamp.format(now)), outcome = \(bind: outcome.rawValue),
                    summary = \(bind: summary), error = \(bind: error), lease_expires_at = NULL
                WHERE id = \(bind: run.id) AND lease_owner = \(bind: owner) AND finished_at IS NULL RETURNING id
                """).first() != nil
        }
    }

    /// Unfinished runs of `job` whose lease has run out: their replica died (or was stopped
    /// before it could release them). The scheduler takes over the resumable ones and closes the rest.
    public func expired(job: String, now: Date) async throws -> [JobRun] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT * FROM job_runs WHERE job = \(bind: job) AND finished_at IS NULL
                AND lease_expires_at <= \(bind: Timestamp.format(now)) ORDER BY started_at
                """).all().map(Self.run)
        }
    }

    /// Closes an expired run no replica can redo as `abandoned`, with the reason; false when
    /// another replica closed or renewed it first.
    public func abandon(_ run: JobRun, reason: String, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE job_runs SET finished_at = \(bind: Timestamp.format(now)), outcome = \(bind: JobRun.Outcome.abandoned.rawValue),
                    error = \(bind: reason), lease_expires_at = NULL
                WHERE id = \(bind: run.id) AND finished_at IS NULL AND lease_expires_at <= \(bind: Timestamp.format(now)) RETURNING id
                """).first() != nil
        }
    }

    /// The latest run of each job.
    public func latest() async throws -> [String: JobRun] {
        try await database.withConnection { db in
            let rows = try await db.raw("""
                SELECT * FROM job_runs r WHERE started_at = (SELECT MAX(started_at) FROM job_runs WHERE job = r.job)
                """).all().map(Self.run)
            return Dictionary(rows.map { ($0.job, $0) }, uniquingKeysWith: { a, b in a.id > b.id ? a : b })
        }
    }

    /// Every run of `job`, oldest first.
    public func runs(of job: String) async throws -> [JobRun] {
        try await database.withConnection { db in
            try await db.select().column("*").from("job_runs").where("job", .equal, job).orderBy("started_at").all().map(Self.run)
        }
    }

    static func run(_ row: any SQLRow) throws -> JobRun {
        return JobRun(
            id: try row.decode(column: "id", as: String.self),
            job: try row.decode(column: "job", as: String.self),
            slot: try row.decode(column: "slot", as: String.self),
            startedAt: try Timestamp.decode(row, "started_at", table: "job_runs"),
            leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            finishedAt: try Timestamp.decodeIfPresent(row, "finished_at", table: "job_runs"),
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(JobRun.Outcome.init(rawValue:)),
            summary: try row.decode(column: "summary", as: String?.self),
            error: try row.decode(column: "error", as: String?.self),
            resumable: try row.decode(column: "resumable", as: Int.self) != 0)
    }
}
