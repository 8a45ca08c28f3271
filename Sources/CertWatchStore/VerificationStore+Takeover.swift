import CertWatchCore
import Foundation
import SQLKit

extension VerificationStore {
    /// Suppliers linked to INTEGRITY whose latest verification is older than `instant` (or who
    /// have none): what a nightly run taken over from a crashed replica still has to do.
    public func linkedNotVerified(since instant: Date) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT s.id FROM suppliers s
                LEFT JOIN latest_verifications l ON l.supplier_id = s.id
                LEFT JOIN verifications v ON v.id = l.verification_id
                WHERE s.nop_operation_id IS NOT NULL AND (v.at IS NULL OR v.at < \(bind: Timestamp.format(instant)))
                ORDER BY s.id
                """).all().map { try $0.decode(column: "id", as: String.self) }
        }
    }
}
