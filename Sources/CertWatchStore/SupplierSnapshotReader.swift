import CertWatchCore
import Foundation
import SQLKit

/// Reads the snapshots purchase checks are answered from, inside the purchase gate's transaction:
/// the suppliers a batch names as they stand now, a few queries for the whole batch, or one
/// supplier as recorded by a past moment.
public struct SupplierSnapshotReader {
    let db: any SQLDatabase

    public init(db: any SQLDatabase) {
        self.db = db
    }

    /// The current snapshots of the suppliers with these ids or NOP operation IDs; the ones that
    /// do not exist are left out. `withItems: false` leaves out the certificate's items (and so
    /// what the product is matched against), for the rules that do not depend on the product.
    public func current(ids: Set<String>, nopOperationIds: Set<String>, withItems: Bool = true) async throws -> [SupplierSnapshot] {
        var ids = ids
        let reader = SupplierReader(db: db)
        for chunk in Array(nopOperationIds).chunked(SupplierWriter.rowsPerStatement) {
            ids.formUnion(try await reader.ids(nopOperationIds: chunk).values)
        }
        var snapshots: [SupplierSnapshot] = []
        for chunk in Array(ids).chunked(SupplierWriter.rowsPerStatement) {
            let suppliers = try await reader.suppliers(ids: chunk, withItems: withItems).map(\.supplier)
            let verifications = try await latestVerifications(supplierIds: suppliers.map(\.id))
            let papers = try await CertificatesOnFile.latest(supplierIds: suppliers.map(\.id), on: db)
            let notices = try await FraudNoticeStore.naming(suppliers, asOf: nil, on: db)
            snapshots += suppliers.map { supplier in
                let verification = verifications[supplier.id]
                return SupplierSnapshot(supplier: supplier, latestVerification: verification?.latest, lastSuccessAt: verification?.successAt,
                                        certificateOnFile: papers[supplier.id], fraudNotices: notices[supplier.id] ?? [])
            }
        }
        return snapshots
    }

    /// The supplier `reference` names, as recorded by `moment`: the verifications, certificate on
    /// file and fraud notices up to then, and with `rewindingCertificate` (a past date) the
    /// certificate rewound through its status history. Nil when nothing matches; a typed name
    /// that matches several suppliers throws `AmbiguousSupplier`.
    public func snapshot(_ reference: SupplierReference, asOf moment: Date, rewindingCertificate: Bool) async throws -> SupplierSnapshot? {
        guard var supplier = try await resolve(reference) else { return nil }
        if rewindingCertificate {
            let changes = try await VerificationStore.statusHistory(supplierId: supplier.id, on: db).map {
                RecordedStatusChange(field: $0.field, from: $0.from, to: $0.to, at: $0.at, effectiveDate: $0.effectiveDate)
            }
            supplier.certificate = CertificateTimeline.certificate(supplier.certificate, changes: changes, at: moment)
        }
        let until = Timestamp.format(moment)
        let latest = try await db.raw("""
            SELECT id, at, outcome, reason FROM verifications WHERE supplier_id = \(bind: supplier.id) AND at <= \(bind: until)
            ORDER BY at DESC, id DESC LIMIT 1
            """).first().map(Self.verificationEvidence)
        let success = try await db.raw("""
            SELECT at FROM verifications WHERE supplier_id = \(bind: supplier.id) AND at <= \(bind: until)
            AND outcome IN ('verified', 'changed') ORDER BY at DESC LIMIT 1
            """).first()
        return SupplierSnapshot(
            supplier: supplier, latestVerification: latest,
            lastSuccessAt: try success.map { try Timestamp.decode($0, "at", table: "verifications") },
            certificateOnFile: try await CertificatesOnFile.latest(supplierId: supplier.id, asOf: moment, on: db),
            fraudNotices: try await FraudNoticeStore.naming([supplier], asOf: moment, on: db)[supplier.id] ?? [])
    }

    private func resolve(_ reference: SupplierReference) async throws -> Supplier? {
        let reader = SupplierReader(db: db)
        switch reference {
        case .id(let id):
            return try await reader.supplier(id: id)?.supplier
        case .nopOperationId(let text):
            guard let nop = NOPOperationID(text) else { return nil }
            return try await reader.supplier(nopOperationId: nop)?.supplier
        case .typed(let text):
            let found = try await reader.lookup(text.trimmingWhitespace())
            if found.count > 1 { throw AmbiguousSupplier(reference: text, candidates: found.map(\.supplier)) }
            return found.first?.supplier
        }
    }

    /// The latest verification of each supplier and when its latest success was, from the
    /// pointers the verifier moves: one query. Suppliers never verified are left out.
    private func latestVerifications(supplierIds: [String]) async throws -> [String: (latest: VerificationEvidence, successAt: Date?)] {
        guard !supplierIds.isEmpty else { return [:] }
        var found: [String: (latest: VerificationEvidence, successAt: Date?)] = [:]
        for row in try await db.raw("""
            SELECT l.supplier_id, l.success_at, v.id, v.at, v.outcome, v.reason
            FROM latest_verifications l JOIN verifications v ON v.id = l.verification_id
            WHERE l.supplier_id IN \(SQLBind.group(supplierIds))
            """).all() {
            found[try row.decode(column: "supplier_id", as: String.self)] = (
                try Self.verificationEvidence(row), try Timestamp.decodeIfPresent(row, "success_at", table: "latest_verifications"))
        }
        return found
    }

    private static func verificationEvidence(_ row: any SQLRow) throws -> VerificationEvidence {
        let outcome = try row.decode(column: "outcome", as: String.self)
        return VerificationEvidence(
            id: try row.decode(column: "id", as: String.self),
            at: try Timestamp.decode(row, "at", table: "verifications"),
            outcome: try VerificationOutcome(rawValue: outcome) ?? { throw CorruptRow(column: "verifications.outcome", value: outcome) }(),
            reason: try row.decode(column: "reason", as: String?.self))
    }
}
