import CertWatchCore
import Foundation
import SQLKit

/// Leases of verification runs that are not job runs (*Verify now*): a run says `running` only
/// while its process renews the lease; past it, any replica's scheduler closes it as `abandoned`.
/// A run that is a job run (nightly, run by hand, `verify --all`) has its lease in `job_runs`.
extension VerificationStore {
    public func renewLease(runId: String, until: Date) async throws {
        try await database.withConnection { db in
            try await db.update("verification_runs").set("lease_expires_at", to: Timestamp.format(until))
                .where("id", .equal, runId).where("outcome", .equal, VerificationRun.Outcome.running.rawValue).run()
        }
    }

    /// Closes every running run whose own lease ran out as `abandoned`; returns how many.
    @discardableResult
    public func abandonExpired(now: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE verification_runs SET outcome = \(bind: VerificationRun.Outcome.abandoned.rawValue),
                    reason = \(bind: Self.abandonedReason), finished_at = \(bind: Timestamp.format(now))
                WHERE outcome = \(bind: VerificationRun.Outcome.running.rawValue) AND lease_expires_at IS NOT NULL
                AND lease_expires_at <= \(bind: Timestamp.format(now)) RETURNING id
                """).all().count
        }
    }

    /// Closes the run (a job run's verification no replica can redo) as `abandoned`, if it is still running.
    public func abandon(runId: String, reason: String, now: Date) async throws {
        try await database.withConnection { db in
            try await db.update("verification_runs")
                .set("outcome", to: VerificationRun.Outcome.abandoned.rawValue).set("reason", to: reason)
                .set("finished_at", to: Timestamp.format(now))
                .where("id", .equal, runId).where("outcome", .equal, VerificationRun.Outcome.running.rawValue).run()
        }
    }

    static let abandonedReason = "the process verifying stopped before it finished (its lease ran out); the suppliers it had not reached keep their last verification, and the next run verifies them"
}
