import CertWatchCore
import Foundation
import SQLKit

/// The aggregates the web page's dashboard shows, each one query that an index serves, so the
/// page stays fast with a large registry.
public struct DashboardFigures: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Suppliers per certificate status code; `nil` counts suppliers without a certificate.
    public func statusCounts() async throws -> [(code: String?, count: Int)] {
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

    /// A status change INTEGRITY reported, with the supplier's name.
    public struct StatusChange: Sendable, Equatable {
        public var supplierId: String
        public var supplierName: String
        public var field: String
        public var from: String?
        public var to: String?
        public var at: Date
    }

    /// Status changes recorded since `instant`, newest first.
    public func statusChanges(since instant: Date, limit: Int) async throws -> [StatusChange] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT h.supplier_id, s.name, h.field, h.from_status, h.to_status, h.at FROM status_history h
                JOIN suppliers s ON s.id = h.supplier_id
                WHERE h.at >= \(bind: Timestamp.format(instant)) ORDER BY h.at DESC LIMIT \(literal: limit)
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

    /// A supplier linked to INTEGRITY whose latest verification failed, is older than the policy
    /// allows, or is missing.
    public struct VerificationProblem: Sendable, Equatable {
        public var supplierId: String
        public var supplierName: String
        public var lastAt: Date?
        public var outcome: String?
        public var reason: String?
    }

    /// The first `limit` verification problems by supplier name, and how many there are in all.
    public func verificationProblems(staleBefore instant: Date, limit: Int) async throws -> (items: [VerificationProblem], total: Int) {
        try await database.withConnection { db in
            let condition: SQLQueryString = """
                FROM suppliers s
                LEFT JOIN latest_verifications l ON l.supplier_id = s.id
                LEFT JOIN verifications v ON v.id = l.verification_id
                WHERE s.nop_operation_id IS NOT NULL
                  AND (v.at IS NULL OR v.at < \(bind: Timestamp.format(instant)) OR v.outcome NOT IN ('verified', 'changed'))
                """
            let total = try await db.raw("SELECT COUNT(*) AS n " + condition).first()?.decode(column: "n", as: Int.self) ?? 0
            let items = try await db.raw("SELECT s.id, s.name, v.at, v.outcome, v.reason " + condition + " ORDER BY s.name, s.id LIMIT \(literal: limit)")
                .all().map { row in
                    VerificationProblem(supplierId: try row.decode(column: "id", as: String.self),
                                        supplierName: try row.decode(column: "name", as: String.self),
                                        lastAt: try Timestamp.decodeIfPresent(row, "at", table: "verifications"),
                                        outcome: try row.decode(column: "outcome", as: String?.self),
                                        reason: try row.decode(column: "reason", as: String?.self))
                }
            return (items, total)
        }
    }

    /// Suppliers the gate blocks whatever the product: a certificate that is not certified, or a
    /// certified one whose governing date is before `today`. Returns the first `limit` by name
    /// and how many there are in all.
    public func blockingIds(today: CalendarDate, limit: Int) async throws -> (ids: [String], total: Int) {
        try await database.withConnection { db in
            let condition: SQLQueryString = """
                FROM suppliers s JOIN certificates c ON c.supplier_id = s.id
                WHERE c.status_code <> 'certified' OR COALESCE(c.valid_to, c.anniversary_date) < \(bind: today.description)
                """
            let total = try await db.raw("SELECT COUNT(*) AS n " + condition).first()?.decode(column: "n", as: Int.self) ?? 0
            let ids = try await db.raw("SELECT s.id " + condition + " ORDER BY s.name, s.id LIMIT \(literal: limit)")
                .all().map { try $0.decode(column: "id", as: String.self) }
            return (ids, total)
        }
    }
}
