import CertWatchCore
import Foundation
import SQLKit

/// The aggregates the web page's dashboard shows. Some of them read every linked supplier, so a
/// snapshot is kept and reused while the registry revision (moved by every change to suppliers,
/// certificates, evidence, papers and fraud notices, whoever writes), the import certificates on
/// record and the minute stay the same: the dashboard answers at the cost of two small queries
/// until something changes, and is at most a minute behind the clock (for "stale" and "days
/// left") otherwise. Which suppliers the gate stops (`standing`) depends on the day, not the
/// minute, so it is kept apart and judged again only when the registry or the day moved.
public actor DashboardFigures {
    let database: Database
    private var kept: (key: StandingKey, minute: Int, question: Question, snapshot: Snapshot)?
    private var keptStanding: (key: StandingKey, judged: [Judged])?

    public init(database: Database) {
        self.database = database
    }

    /// What the figures are computed for.
    public struct Question: Sendable, Equatable {
        public var today: CalendarDate
        /// A successful verification before this is stale.
        public var staleBefore: Date
        /// Status changes since this instant.
        public var changesSince: Date
        /// Governing dates up to this day.
        public var lapsingThrough: CalendarDate
        public var limit: Int
        /// The purchase gate's policy, which judges who is blocked or held for review.
        public var policy: PurchasePolicy

        public init(today: CalendarDate, staleBefore: Date, changesSince: Date, lapsingThrough: CalendarDate, limit: Int,
                    policy: PurchasePolicy) {
            self.policy = policy
            self.today = today
            self.staleBefore = staleBefore
            self.changesSince = changesSince
            self.lapsingThrough = lapsingThrough
            self.limit = limit
        }
    }

    public struct Snapshot: Sendable {
        /// Suppliers per certificate status code; `nil` counts suppliers without a certificate.
        public var statusCounts: [(code: String?, count: Int)]
        /// Suppliers the purchase gate blocks or holds for review whatever the product
        /// (`PurchasePolicy.standing`), the first by name, and how many in all.
        public var blocking: [Standing]
        public var blockingTotal: Int
        /// Certified suppliers whose governing date is on or before `lapsingThrough`, soonest first.
        public var lapsing: [StoredSupplier]
        public var statusChanges: [StatusChange]
        public var verificationProblems: [VerificationProblem]
        public var verificationProblemsTotal: Int
    }

    /// A status change INTEGRITY reported, with the supplier's name.
    public struct StatusChange: Sendable, Equatable {
        public var supplierId: String
        public var supplierName: String
        public var field: String
        public var from: String?
        public var to: String?
        public var at: Date
    }

    /// A supplier linked to INTEGRITY whose latest verification failed, is older than the policy
    /// allows, or is missing.
    public struct VerificationProblem: Sendable, Equatable {
        public var supplierId: String
        public var supplierName: String
        public var lastAt: Date?
        public var outcome: String?
        public var reason: String?
    }

    /// The figures for `question`, computed afresh only when the registry or the minute moved.
    public func snapshot(_ question: Question, at now: Date) async throws -> Snapshot {
        let minute = Int(now.timeIntervalSince1970 / 60)
        let key = try await database.withConnection { db in
            try await Self.standingKey(revision: try await RegistryRevision.current(on: db), question, on: db)
        }
        if let kept, kept.key == key, kept.minute == minute, kept.question.limit == question.limit {
            return kept.snapshot
        }
        let snapshot = try await compute(question, standing: try await judged(question, key: key))
        kept = (key, minute, question, snapshot)
        return snapshot
    }

    private func judged(_ q: Question, key: StandingKey) async throws -> [Judged] {
        if let keptStanding, keptStanding.key == key { return keptStanding.judged }
        let judged = try await database.withConnection { db in try await Self.standing(today: q.today, policy: q.policy, on: db) }
        keptStanding = (key, judged)
        return judged
    }

    private func compute(_ q: Question, standing: [Judged]) async throws -> Snapshot {
        let suppliers = SupplierStore(database: database)
        let shown = standing.prefix(q.limit)
        let stored = Dictionary(try await suppliers.get(ids: shown.map(\.id)).map { ($0.supplier.id, $0) }) { first, _ in first }
        let (problems, problemsTotal) = try await verificationProblems(staleBefore: q.staleBefore, limit: q.limit)
        return Snapshot(
            statusCounts: try await statusCounts(),
            blocking: shown.compactMap { judged in stored[judged.id].map { Standing(supplier: $0, assessment: judged.assessment) } },
            blockingTotal: standing.count,
            lapsing: try await suppliers.list(SupplierQuery(lapsingThrough: q.lapsingThrough, order: .governingDate, limit: 2 * q.limit)).items,
            statusChanges: try await statusChanges(since: q.changesSince, limit: 2 * q.limit),
            verificationProblems: problems, verificationProblemsTotal: problemsTotal)
    }

    private func statusCounts() async throws -> [(code: String?, count: Int)] {
        try await database.withConnection { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM suppliers").first()?.decode(column: "n", as: Int.self) ?? 0
            var counts: [(code: String?, count: Int)] = try await db.raw("""
                SELECT status_code, COUNT(*) AS n FROM certificates GROUP BY status_code ORDER BY status_code
                """).all().map { (try $0.decode(column: "status_code", as: String.self), try $0.decode(column: "n", as: Int.self)) }
            let withCertificate = counts.reduce(0) { $0 + $1.count }
            if total > withCertificate { counts.append((nil, total - withCertificate)) }
            return counts
        }
    }

    private func statusChanges(since instant: Date, limit: Int) async throws -> [StatusChange] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT h.supplier_id, s.name, h.field, h.from_status, h.to_status, h.at FROM status_history h
                JOIN suppliers s ON s.id = h.supplier_id
                WHERE h.at >= \(bind: Timestamp.format(instant)) AND h.first_sighting = 0 ORDER BY h.at DESC LIMIT \(literal: limit)
                """).all().map { row in
                    StatusChange(supplierId: try row.decode(column: "supplier_id", as: String.self),
                                 supplierName: try row.decode(column: "name", as: String.self),
                                 field: try row.decode(column: "field", as: String.self),
                                 from: try row.decode(column: "from_status", as: String?.self),
                                 to: try row.decode(column: "to_status", as: String?.self),
                                 at: try Timestamp.decode(row, "at", table: "status_history"))
                }
        }
    }

    /// One pass over the linked suppliers: the first `limit` problems by name and the total.
    private func verificationProblems(staleBefore instant: Date, limit: Int) async throws -> (items: [VerificationProblem], total: Int) {
        try await database.withConnection { db in
            let rows = try await db.raw("""
                SELECT s.id, s.name, v.at, v.outcome, v.reason, COUNT(*) OVER () AS total FROM suppliers s
                LEFT JOIN latest_verifications l ON l.supplier_id = s.id
                LEFT JOIN verifications v ON v.id = l.verification_id
                WHERE s.nop_operation_id IS NOT NULL
                  AND (v.at IS NULL OR v.at < \(bind: Timestamp.format(instant)) OR v.outcome NOT IN ('verified', 'changed'))
                ORDER BY s.name, s.id LIMIT \(literal: limit)
                """).all()
            let items = try rows.map { row in
                VerificationProblem(supplierId: try row.decode(column: "id", as: String.self),
                                    supplierName: try row.decode(column: "name", as: String.self),
                                    lastAt: try Timestamp.decodeIfPresent(row, "at", table: "verifications"),
                                    outcome: try row.decode(column: "outcome", as: String?.self),
                                    reason: try row.decode(column: "reason", as: String?.self))
            }
            return (items, try rows.first?.decode(column: "total", as: Int.self) ?? 0)
        }
    }
}
