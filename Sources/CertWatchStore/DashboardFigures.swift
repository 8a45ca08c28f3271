import CertWatchCore
import Foundation
import SQLKit

/// The aggregates the web page's dashboard shows. Some of them read every linked supplier, so a
/// snapshot is kept and reused while the registry revision (moved by every change to suppliers,
/// certificates and evidence, whoever writes) and the minute stay the same: the dashboard answers
/// at the cost of one small query until something changes, and is at most a minute behind the
/// clock (for "stale" and "days left") otherwise.
public actor DashboardFigures {
    let database: Database
    private var kept: (revision: Int, minute: Int, question: Question, snapshot: Snapshot)?

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

        public init(today: CalendarDate, staleBefore: Date, changesSince: Date, lapsingThrough: CalendarDate, limit: Int) {
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
        /// Suppliers whose certificate is not certified or past its governing date (the gate's
        /// policy says what that makes of a purchase), the first by name, and how many in all.
        public var blocking: [StoredSupplier]
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
        let revision = try await database.withConnection { try await RegistryRevision.current(on: $0) }
        if let kept, kept.revision == revision, kept.minute == minute, kept.question.limit == question.limit,
           kept.question.today == question.today {
            return kept.snapshot
        }
        let snapshot = try await compute(question)
        kept = (revision, minute, question, snapshot)
        return snapshot
    }

    private func compute(_ q: Question) async throws -> Snapshot {
        let suppliers = SupplierStore(database: database)
        let (blockingIds, blockingTotal) = try await blocking(today: q.today, limit: q.limit)
        let (problems, problemsTotal) = try await verificationProblems(staleBefore: q.staleBefore, limit: q.limit)
        return Snapshot(
            statusCounts: try await statusCounts(),
            blocking: try await suppliers.get(ids: blockingIds), blockingTotal: blockingTotal,
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

    /// A certificate that is not certified, or a certified one whose governing date is before
    /// `today`: the candidates; `PurchasePolicy.certificateAssessment` judges them.
    private func blocking(today: CalendarDate, limit: Int) async throws -> (ids: [String], total: Int) {
        try await database.withConnection { db in
            let rows = try await db.raw("""
                SELECT s.id, COUNT(*) OVER () AS total FROM suppliers s JOIN certificates c ON c.supplier_id = s.id
                WHERE c.status_code <> 'certified' OR COALESCE(c.valid_to, c.anniversary_date) < \(bind: today.description)
                ORDER BY s.name, s.id LIMIT \(literal: limit)
                """).all()
            return (try rows.map { try $0.decode(column: "id", as: String.self) },
                    try rows.first?.decode(column: "total", as: Int.self) ?? 0)
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
