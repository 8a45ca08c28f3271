import CertWatchCore
import Foundation
import SQLKit

/// The evidence of verifications: runs, one record per supplier per run, the status history, and
/// the latest verification of each supplier.
///
/// A supplier's new certificate, its status-history rows and its verification record are
/// committed in one transaction, so evidence and state never disagree.
public struct VerificationStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One supplier's result, ready to be written.
    public struct SupplierResult: Sendable {
        public var supplierId: String
        public var nopOperationId: String?
        /// The certificate before this verification, for the status history of a change.
        public var previousCertificate: Certificate?
        public var decision: VerificationDecision
        public var foundStatus: String?
        /// The digest of INTEGRITY's record, remembered with a success.
        public var recordDigest: String?
        /// No earlier answer from INTEGRITY about this supplier under its current NOP ID.
        public var firstSighting = false

        public init(supplierId: String, nopOperationId: String?, previousCertificate: Certificate?, decision: VerificationDecision,
                    foundStatus: String?, recordDigest: String? = nil) {
            self.supplierId = supplierId
            self.nopOperationId = nopOperationId
            self.previousCertificate = previousCertificate
            self.decision = decision
            self.foundStatus = foundStatus
            self.recordDigest = recordDigest
        }

        public init(supplier: StoredSupplier, decision: VerificationDecision, foundStatus: String?, recordDigest: String? = nil) {
            self.init(supplierId: supplier.supplier.id, nopOperationId: supplier.supplier.nopOperationId?.rawValue,
                      previousCertificate: supplier.supplier.certificate, decision: decision, foundStatus: foundStatus,
                      recordDigest: recordDigest)
        }
    }

    /// Evidence shared by every result of one answer.
    public struct Evidence: Sendable {
        public var source: String
        public var url: String?
        public var digest: String?
        public var at: Date

        public init(source: String, url: String?, digest: String?, at: Date) {
            self.source = source
            self.url = url
            self.digest = digest
            self.at = at
        }
    }

    /// Records that a run ended in an error before or outside its answer (INTEGRITY's source
    /// could not be built, the database failed): the run reads `rejected` with the error, so
    /// whoever follows it sees why instead of a run that stays `running`.
    public func saveRejected(_ run: VerificationRun, reason: String, at instant: Date) async throws {
        var failed = run
        failed.outcome = .rejected
        failed.reason = reason
        failed.finishedAt = instant
        try await save(failed)
    }

    public func save(_ run: VerificationRun) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "verification_runs")
                .columns("id", "started_at", "finished_at", "source", "url", "digest", "byte_count", "outcome",
                         "reason", "verified", "changed", "not_found", "failed", "declined", "failures", "first_sightings")
                .values(run.id, Timestamp.format(run.startedAt), run.finishedAt.map(Timestamp.format), run.source, run.url,
                        run.digest, run.byteCount, run.outcome.rawValue, run.reason, run.verified, run.changed,
                        run.notFound, run.failed, JSONText.encode(run.declined), JSONText.encode(run.failures), run.firstSightings)
                .onConflict(with: ["id"]) { conflict in
                    try conflict.set(excludedValueOf: "finished_at").set(excludedValueOf: "source").set(excludedValueOf: "url")
                        .set(excludedValueOf: "digest").set(excludedValueOf: "byte_count").set(excludedValueOf: "outcome")
                        .set(excludedValueOf: "reason").set(excludedValueOf: "verified").set(excludedValueOf: "changed")
                        .set(excludedValueOf: "not_found").set(excludedValueOf: "failed").set(excludedValueOf: "declined")
                        .set(excludedValueOf: "failures").set(excludedValueOf: "first_sightings")
                }
                .run()
        }
    }

    /// A status transition a verification recorded, with its record.
    public typealias RecordedTransition = (record: VerificationRecord, transition: StatusTransition)

    /// Writes a batch of results in one transaction and returns their records.
    ///
    /// Each result's status transitions are computed once (`StatusTransition.between`): they are
    /// the history rows, and `alerts` builds the alerts from the same transitions. Both are
    /// committed with the records, so a crash cannot keep a change and lose its alert, and both
    /// leave out a supplier deleted while the run was working (it keeps its evidence only).
    @discardableResult
    public func record(
        _ results: [SupplierResult], runId: String, evidence: Evidence,
        alerts: @Sendable ([RecordedTransition]) -> [AlertStore.NewAlert] = { _ in [] }
    ) async throws -> [VerificationRecord] {
        guard !results.isEmpty else { return [] }
        return try await database.registryTransaction { db in
            let records = results.map { result in
                VerificationRecord(
                    id: RecordID.make(), runId: runId, supplierId: result.supplierId,
                    nopOperationId: result.nopOperationId, at: evidence.at,
                    source: evidence.source, url: evidence.url, digest: evidence.digest, outcome: result.decision.outcome,
                    reason: result.decision.reason, foundStatus: result.foundStatus, changes: result.decision.changes)
            }
            try await Self.write(Array(zip(records, results.map(\.recordDigest))), evidence: evidence,
                                 dialect: database.dialect, on: db)
            let transitions: [RecordedTransition] = zip(results, records).flatMap { result, record in
                guard result.decision.outcome != .failed else { return [RecordedTransition]() }
                return StatusTransition.between(result.previousCertificate, result.decision.certificate,
                                                listed: result.decision.outcome != .notFound, firstSighting: result.firstSighting)
                    .map { (record: record, transition: $0) }
            }
            guard results.contains(where: { $0.decision.certificate != nil }) || !transitions.isEmpty else { return records }
            let present = Set(try await db.select().column("id").from("suppliers")
                .where("id", .in, results.map(\.supplierId)).all().map { try $0.decode(column: "id", as: String.self) })
            let changed = results.filter { $0.decision.certificate != nil && present.contains($0.supplierId) }
            try await SupplierWriter(db: db).replaceCertificates(changed.map { ($0.supplierId, $0.decision.certificate) })
            let kept = transitions.filter { present.contains($0.record.supplierId) }
            try await insertHistory(kept, on: db)
            _ = try await AlertStore.insert(alerts(kept), at: evidence.at, on: db)
            return records
        }
    }

    /// Inserts the records and moves each supplier's latest-verification pointer: two statements
    /// per 5,000 records, the per-record values passed as `JSONRows` and the shared ones bound
    /// once (a nightly run writes 100,000 records).
    ///
    /// The pointer keeps the last success through a failure: a failed record leaves `success_at`,
    /// its NOP ID and its record digest as they were.
    private static func write(
        _ rows: [(record: VerificationRecord, recordDigest: String?)], evidence: Evidence, dialect: Database.Dialect,
        on db: any SQLDatabase
    ) async throws {
        guard let runId = rows.first?.record.runId else { return }
        // Formatted once: every record of a batch shares the answer's instant.
        let at = Timestamp.format(evidence.at)
        for chunk in rows.chunked(5_000) {
            var values = JSONRows()
            for (r, recordDigest) in chunk {
                let success = r.outcome == .verified || r.outcome == .changed
                values.append([
                    r.id, r.supplierId, r.nopOperationId, r.outcome.rawValue, r.reason, r.foundStatus,
                    r.changes.isEmpty ? "[]" : try JSONText.encode(r.changes),
                    success ? at : nil, success ? r.nopOperationId : nil, success ? recordDigest : nil,
                ])
            }
            let each = values.source(dialect)
            try await db.raw("""
                INSERT INTO verifications (id, run_id, supplier_id, nop_operation_id, at, source, url, digest, outcome, reason, found_status, changes)
                SELECT t.value ->> 0, \(bind: runId), t.value ->> 1, t.value ->> 2, \(bind: at), \(bind: evidence.source),
                       \(bind: evidence.url), \(bind: evidence.digest), t.value ->> 3, t.value ->> 4, t.value ->> 5, t.value ->> 6
                FROM \(each)
                """).run()
            // `WHERE true`: SQLite's parser needs it between a SELECT and ON CONFLICT.
            try await db.raw("""
                INSERT INTO latest_verifications (supplier_id, verification_id, success_at, success_nop_operation_id, success_record_digest)
                SELECT t.value ->> 1, t.value ->> 0, t.value ->> 7, t.value ->> 8, t.value ->> 9 FROM \(each) WHERE true
                ON CONFLICT (supplier_id) DO UPDATE SET
                    verification_id = excluded.verification_id,
                    success_at = COALESCE(excluded.success_at, latest_verifications.success_at),
                    success_nop_operation_id = COALESCE(excluded.success_nop_operation_id, latest_verifications.success_nop_operation_id),
                    success_record_digest = CASE WHEN excluded.success_at IS NULL
                        THEN latest_verifications.success_record_digest ELSE excluded.success_record_digest END
                """).run()
        }
    }

    /// The record digest of each supplier's last successful verification, by NOP operation ID,
    /// for suppliers not edited or relinked since: what a bulk run may call unchanged.
    public func knownRecordDigests() async throws -> [NOPOperationID: String] {
        try await database.withConnection { db in
            var known: [NOPOperationID: String] = [:]
            for row in try await db.raw("""
                SELECT s.nop_operation_id, l.success_record_digest FROM suppliers s
                JOIN latest_verifications l ON l.supplier_id = s.id
                WHERE l.success_record_digest IS NOT NULL AND l.success_nop_operation_id = s.nop_operation_id
                AND l.success_at >= s.updated_at
                """).all() {
                if let id = NOPOperationID(try row.decode(column: "nop_operation_id", as: String.self)) {
                    known[id] = try row.decode(column: "success_record_digest", as: String.self)
                }
            }
            return known
        }
    }

    /// The NOP operation IDs of linked suppliers no verification has vouched for since they were
    /// added, edited or relinked (no success under their current NOP ID at or after their last
    /// edit): a "changed since" answer says nothing about them, only a complete one can.
    /// `ids` limits the question to those suppliers.
    public func unvouched(ids: [String]? = nil) async throws -> Set<NOPOperationID> {
        try await database.withConnection { db in
            let query: SQLQueryString = """
                SELECT s.nop_operation_id FROM suppliers s LEFT JOIN latest_verifications l ON l.supplier_id = s.id
                WHERE s.nop_operation_id IS NOT NULL AND (l.success_at IS NULL OR l.success_nop_operation_id IS NULL
                OR l.success_nop_operation_id <> s.nop_operation_id OR l.success_at < s.updated_at)
                """
            var rows: [any SQLRow] = []
            if let ids {
                for chunk in ids.chunked(SupplierWriter.rowsPerStatement) {
                    rows += try await db.raw(query + " AND s.id IN \(SQLBind.group(chunk))").all()
                }
            } else {
                rows = try await db.raw(query).all()
            }
            return Set(try rows.compactMap { NOPOperationID(try $0.decode(column: "nop_operation_id", as: String.self)) })
        }
    }

    /// When each supplier was last verified successfully (`verified` or `changed`), and under
    /// which NOP operation ID: what a "changed since" answer may build on.
    public func lastSuccess(for supplierIds: [String]) async throws -> [String: (at: Date, nopOperationId: String?)] {
        try await database.withConnection { db in
            var found: [String: (at: Date, nopOperationId: String?)] = [:]
            for chunk in supplierIds.chunked(SupplierWriter.rowsPerStatement) {
                let rows = try await db.raw("""
                    SELECT supplier_id, success_at, success_nop_operation_id FROM latest_verifications
                    WHERE success_at IS NOT NULL AND supplier_id IN \(SQLBind.group(chunk))
                    """).all()
                for row in rows {
                    guard let at = Timestamp.parse(try row.decode(column: "success_at", as: String.self)) else { continue }
                    found[try row.decode(column: "supplier_id", as: String.self)] =
                        (at, try row.decode(column: "success_nop_operation_id", as: String?.self))
                }
            }
            return found
        }
    }

    private func insertHistory(_ rows: [RecordedTransition], on db: any SQLDatabase) async throws {
        for chunk in rows.chunked(SupplierWriter.rowsPerStatement) {
            var insert = db.insert(into: "status_history").columns(
                "id", "supplier_id", "verification_id", "at", "field", "from_status", "to_status", "effective_date", "first_sighting")
            for (record, transition) in chunk {
                insert = insert.values(RecordID.make(), record.supplierId, record.id, Timestamp.format(record.at), transition.field,
                                       transition.from, transition.to, transition.effectiveDate?.description, transition.firstSighting ? 1 : 0)
            }
            try await insert.run()
        }
    }

    /// Of these suppliers, those INTEGRITY has answered about before under their current NOP ID
    /// (an earlier verification that did not fail): the rest are seen for the first time.
    public func seenBefore(_ supplierIds: [String]) async throws -> Set<String> {
        try await database.withConnection { db in
            var seen = Set<String>()
            for chunk in supplierIds.chunked(SupplierWriter.rowsPerStatement) {
                let rows = try await db.raw("""
                    SELECT s.id FROM suppliers s WHERE s.id IN \(SQLBind.group(chunk)) AND EXISTS (
                    SELECT 1 FROM verifications v WHERE v.supplier_id = s.id AND v.nop_operation_id = s.nop_operation_id
                    AND v.outcome <> 'failed')
                    """).all()
                for row in rows { seen.insert(try row.decode(column: "id", as: String.self)) }
            }
            return seen
        }
    }

    /// A supplier's verifications, newest first.
    public func history(supplierId: String, limit: Int = 100) async throws -> [VerificationRecord] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT * FROM verifications WHERE supplier_id = \(bind: supplierId) ORDER BY at DESC, id DESC LIMIT \(literal: limit)
                """).all().map(Self.record)
        }
    }

    /// The verification a given run recorded for a supplier.
    public func record(runId: String, supplierId: String) async throws -> VerificationRecord? {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT * FROM verifications WHERE run_id = \(bind: runId) AND supplier_id = \(bind: supplierId)
                """).first().map(Self.record)
        }
    }

    /// The latest verification of each of these suppliers.
    public func latest(for supplierIds: [String]) async throws -> [String: VerificationRecord] {
        try await database.withConnection { db in
            var latest: [String: VerificationRecord] = [:]
            for chunk in supplierIds.chunked(SupplierWriter.rowsPerStatement) {
                let rows = try await db.raw("""
                    SELECT v.* FROM latest_verifications l JOIN verifications v ON v.id = l.verification_id
                    WHERE l.supplier_id IN \(SQLBind.group(chunk))
                    """).all()
                for record in try rows.map(Self.record) { latest[record.supplierId] = record }
            }
            return latest
        }
    }

    public func run(id: String) async throws -> VerificationRun? {
        try await database.withConnection { db in
            guard let row = try await db.raw("""
                SELECT started_at, finished_at, source, url, digest, byte_count, outcome, reason, verified, changed, not_found,
                failed, declined, failures, first_sightings FROM verification_runs WHERE id = \(bind: id)
                """).first() else { return nil }
            var run = VerificationRun(
                id: id, startedAt: try Timestamp.decode(row, "started_at", table: "verification_runs"),
                source: try row.decode(column: "source", as: String.self))
            run.finishedAt = try Timestamp.decodeIfPresent(row, "finished_at", table: "verification_runs")
            run.url = try row.decode(column: "url", as: String?.self)
            run.digest = try row.decode(column: "digest", as: String?.self)
            run.byteCount = try row.decode(column: "byte_count", as: Int?.self)
            run.outcome = VerificationRun.Outcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .rejected
            run.reason = try row.decode(column: "reason", as: String?.self)
            run.verified = try row.decode(column: "verified", as: Int.self)
            run.changed = try row.decode(column: "changed", as: Int.self)
            run.notFound = try row.decode(column: "not_found", as: Int.self)
            run.failed = try row.decode(column: "failed", as: Int.self)
            run.firstSightings = try row.decode(column: "first_sightings", as: Int.self)
            run.declined = try row.decode(column: "declined", as: String?.self)
                .map { try JSONText.decode([DeclinedSource].self, from: $0) } ?? []
            run.failures = try row.decode(column: "failures", as: String?.self)
                .map { try JSONText.decode([VerificationRun.FailureCount].self, from: $0) } ?? []
            return run
        }
    }

    private static func record(_ row: any SQLRow) throws -> VerificationRecord {
        let outcome = try row.decode(column: "outcome", as: String.self)
        return VerificationRecord(
            id: try row.decode(column: "id", as: String.self),
            runId: try row.decode(column: "run_id", as: String.self),
            supplierId: try row.decode(column: "supplier_id", as: String.self),
            nopOperationId: try row.decode(column: "nop_operation_id", as: String?.self),
            at: try Timestamp.decode(row, "at", table: "verifications"),
            source: try row.decode(column: "source", as: String.self),
            url: try row.decode(column: "url", as: String?.self),
            digest: try row.decode(column: "digest", as: String?.self),
            outcome: try VerificationOutcome(rawValue: outcome) ?? { throw CorruptRow(column: "verifications.outcome", value: outcome) }(),
            reason: try row.decode(column: "reason", as: String?.self),
            foundStatus: try row.decode(column: "found_status", as: String?.self),
            changes: try JSONText.decode([CertificateChange].self, from: row.decode(column: "changes", as: String.self)))
    }
}
