import CertWatchCore
import Foundation
import SQLKit

/// The status history: one row per status or scope-status change a verification saw, and one
/// for each first sighting (`firstSighting`: INTEGRITY's first answer about the supplier).
extension VerificationStore {
    public func statusHistory(supplierId: String) async throws -> [StatusHistoryEntry] {
        try await database.withConnection { try await Self.statusHistory(supplierId: supplierId, on: $0) }
    }

    static func statusHistory(supplierId: String, on db: any SQLDatabase) async throws -> [StatusHistoryEntry] {
        try await db.raw("""
            SELECT * FROM status_history WHERE supplier_id = \(bind: supplierId) ORDER BY at, id
            """).all().map { row in
                StatusHistoryEntry(
                    supplierId: try row.decode(column: "supplier_id", as: String.self),
                    verificationId: try row.decode(column: "verification_id", as: String.self),
                    at: try Timestamp.decode(row, "at", table: "status_history"),
                    field: try row.decode(column: "field", as: String.self),
                    from: try row.decode(column: "from_status", as: String?.self),
                    to: try row.decode(column: "to_status", as: String?.self),
                    effectiveDate: try row.decode(column: "effective_date", as: String?.self).flatMap(CalendarDate.init(iso:)),
                    firstSighting: try row.decode(column: "first_sighting", as: Int.self) != 0)
            }
    }
}
