import CertWatchCore
import Foundation
import SQLKit

/// The organic certificates on file that purchase checks read: per supplier, the latest one
/// uploaded (by a moment, for a past date), with its reading's findings.
enum CertificatesOnFile {
    /// The latest of each of these suppliers, now: one query for the batch.
    static func latest(supplierIds: [String], on db: any SQLDatabase) async throws -> [String: CertificateOnFile] {
        guard !supplierIds.isEmpty else { return [:] }
        var found: [String: CertificateOnFile] = [:]
        for row in try await db.raw("""
            SELECT d.supplier_id, d.id, d.uploaded_at, r.findings FROM documents d
            LEFT JOIN document_readings r ON r.document_id = d.id
            WHERE d.kind = \(bind: DocumentKind.organicCertificate.rawValue) AND d.supplier_id IN \(SQLBind.group(supplierIds))
            ORDER BY d.uploaded_at DESC, d.id DESC
            """).all() {
            let supplierId = try row.decode(column: "supplier_id", as: String.self)
            if found[supplierId] == nil { found[supplierId] = try onFile(row) }
        }
        return found
    }

    /// The latest uploaded by `moment`.
    static func latest(supplierId: String, asOf moment: Date, on db: any SQLDatabase) async throws -> CertificateOnFile? {
        try await db.raw("""
            SELECT d.id, d.uploaded_at, r.findings FROM documents d
            LEFT JOIN document_readings r ON r.document_id = d.id
            WHERE d.kind = \(bind: DocumentKind.organicCertificate.rawValue) AND d.supplier_id = \(bind: supplierId)
            AND d.uploaded_at <= \(bind: Timestamp.format(moment))
            ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 1
            """).first().map(onFile)
    }

    private static func onFile(_ row: any SQLRow) throws -> CertificateOnFile {
        let findings = try row.decode(column: "findings", as: String?.self)
        return CertificateOnFile(
            documentId: try row.decode(column: "id", as: String.self),
            uploadedAt: try Timestamp.decode(row, "uploaded_at", table: "documents"),
            findings: try findings.map { try JSONText.decode([DocumentFinding].self, from: $0) } ?? [])
    }
}
