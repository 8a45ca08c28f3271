import CertWatchCore
import Foundation
import SQLKit

/// Keeps records for the retention period and removes only what has outlived it: documents on
/// file, verification records and purchase checks (7 CFR 205.103).
///
/// Purged checks are the oldest part of the hash chain; the purge records the last one's seq and
/// hash (`retention_purges`), and `AuditChain.verify` starts from there, so the checks kept still
/// verify. A supplier's latest verification is kept whatever its age (the gate and the pages read
/// it), and so is the status history, which answers for past dates.
public struct RetentionStore: Sendable {
    let database: Database
    public let period: RetentionPeriod
    let now: @Sendable () -> Date

    public init(database: Database, period: RetentionPeriod, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.period = period
        self.now = now
    }

    /// What a purge before a day removes (or removed).
    public struct Counts: Sendable, Equatable, Codable {
        public var before: CalendarDate
        public var documents: Int
        public var verifications: Int
        public var purchaseChecks: Int
        /// The last purchase check that goes (or went): what the purge's checkpoint seals.
        public var checksThrough: AuditCheckpointStore.Place?

        public init(before: CalendarDate, documents: Int, verifications: Int, purchaseChecks: Int,
                    checksThrough: AuditCheckpointStore.Place? = nil) {
            self.before = before
            self.documents = documents
            self.verifications = verifications
            self.purchaseChecks = purchaseChecks
            self.checksThrough = checksThrough
        }
    }

    /// A purge asked for a day whose records are not all old enough.
    public struct TooRecent: Error, CustomStringConvertible {
        public var before: CalendarDate
        public var latest: CalendarDate
        public var years: Int
        public var description: String {
            "records made before \(before) are not all \(years) years old (retention.years); the latest --before today is \(latest)"
        }
    }

    /// The latest day `purge(before:)` accepts today.
    public var latestPurgeDate: CalendarDate { period.latestPurgeDate(today: CalendarDate(utc: now())) }

    /// What may go: the records made before `latestPurgeDate`.
    public func report() async throws -> Counts {
        let before = latestPurgeDate
        return try await database.withConnection { db in
            try await counts(before: before, checksThrough: try await lastPurgeable(until: Timestamp.format(before.startOfDayUTC), on: db), on: db)
        }
    }

    /// Removes the records made before `before`, which must be no later than `latestPurgeDate`.
    public func purge(before: CalendarDate) async throws -> Counts {
        guard before <= latestPurgeDate else { throw TooRecent(before: before, latest: latestPurgeDate, years: period.years) }
        let until = Timestamp.format(before.startOfDayUTC)
        return try await database.transaction { db in
            // Appends lock the chain's head first; so does a purge, so two purges cannot interleave.
            let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
            _ = try await db.raw("SELECT seq FROM audit_heads WHERE chain = 'purchase_checks'\(unsafeRaw: lock)").first()
            let lastCheck = try await lastPurgeable(until: until, on: db)
            let counts = try await counts(before: before, checksThrough: lastCheck, on: db)
            let through = counts.checksThrough
            // The purge's record comes first: the database deletes checks only at or below it.
            try await db.insert(into: "retention_purges")
                .columns("id", "purged_at", "before_date", "documents", "verifications", "purchase_checks", "checks_through_seq", "checks_through_hash")
                .values(RecordID.make(), Timestamp.format(now()), before.description, counts.documents, counts.verifications,
                        counts.purchaseChecks, through?.seq, through?.hash)
                .run()
            if let through { try await db.raw("DELETE FROM purchase_checks WHERE seq <= \(bind: through.seq)").run() }
            try await db.raw("""
                DELETE FROM document_readings WHERE document_id IN (SELECT id FROM documents WHERE uploaded_at < \(bind: until))
                """).run()
            try await db.raw("DELETE FROM documents WHERE uploaded_at < \(bind: until)").run()
            try await db.raw("DELETE FROM document_contents WHERE sha256 NOT IN (SELECT sha256 FROM documents)").run()
            try await db.raw("""
                DELETE FROM verifications WHERE at < \(bind: until) AND id NOT IN (SELECT verification_id FROM latest_verifications)
                """).run()
            try await db.raw("""
                DELETE FROM verification_runs WHERE started_at < \(bind: until)
                AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.run_id = verification_runs.id)
                """).run()
            return counts
        }
    }

    /// Deletes one document on file, unless it is younger than the retention period.
    public enum DocumentDeletion: Sendable, Equatable {
        case deleted
        case notFound
        /// Kept: it may be deleted from this day.
        case kept(until: CalendarDate)
    }

    public func deleteDocument(id: String) async throws -> DocumentDeletion {
        try await database.transaction { db in
            guard let row = try await db.raw("SELECT uploaded_at FROM documents WHERE id = \(bind: id)").first() else { return .notFound }
            let from = period.deletableFrom(try Timestamp.decode(row, "uploaded_at", table: "documents"))
            guard from <= CalendarDate(utc: now()) else { return .kept(until: from) }
            try await db.raw("DELETE FROM document_readings WHERE document_id = \(bind: id)").run()
            try await db.raw("DELETE FROM documents WHERE id = \(bind: id)").run()
            try await db.raw("DELETE FROM document_contents WHERE sha256 NOT IN (SELECT sha256 FROM documents)").run()
            return .deleted
        }
    }

    private func counts(before: CalendarDate, checksThrough lastCheck: Int, on db: any SQLDatabase) async throws -> Counts {
        let until = Timestamp.format(before.startOfDayUTC)
        func count(_ query: SQLQueryString) async throws -> Int {
            try await db.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return Counts(
            before: before,
            documents: try await count("SELECT COUNT(*) AS n FROM documents WHERE uploaded_at < \(bind: until)"),
            verifications: try await count("""
                SELECT COUNT(*) AS n FROM verifications WHERE at < \(bind: until) AND id NOT IN (SELECT verification_id FROM latest_verifications)
                """),
            purchaseChecks: try await count("SELECT COUNT(*) AS n FROM purchase_checks WHERE seq <= \(bind: lastCheck)"),
            checksThrough: try await lastRecord(through: lastCheck, on: db))
    }

    /// The last check of the chain's old prefix: every check up to it was made before `until`
    /// (seq follows time; a check made later ends the prefix).
    private func lastPurgeable(until: String, on db: any SQLDatabase) async throws -> Int {
        let newer = try await db.raw("SELECT MIN(seq) AS n FROM purchase_checks WHERE checked_at >= \(bind: until)").first()?
            .decode(column: "n", as: Int?.self)
        if let newer { return newer - 1 }
        return try await db.raw("SELECT MAX(seq) AS n FROM purchase_checks").first()?.decode(column: "n", as: Int?.self) ?? 0
    }

    /// The place of the last check a purge through `through` removes, if it removes any.
    private func lastRecord(through: Int, on db: any SQLDatabase) async throws -> AuditCheckpointStore.Place? {
        guard let row = try await db.raw("SELECT hash FROM purchase_checks WHERE seq = \(bind: through)").first() else { return nil }
        return AuditCheckpointStore.Place(seq: through, hash: try row.decode(column: "hash", as: String.self))
    }
}
