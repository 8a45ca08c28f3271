import CertWatchCore
import Foundation
import SQLKit

extension DashboardFigures {
    /// A supplier the purchase gate blocks or holds for review whatever the product and the lot,
    /// with every reason.
    public struct Standing: Sendable {
        public var supplier: StoredSupplier
        public var assessment: PurchaseAssessment
    }

    /// A supplier judged not allowed, by id and name (for ordering), before its record is read.
    typealias Judged = (id: String, name: String, assessment: PurchaseAssessment)

    /// What decides the standing besides the registry revision and the day: the policy and the
    /// import certificates on record, which do not move the revision (the gate reads them per check).
    struct StandingKey: Equatable {
        var revision: Int
        var today: CalendarDate
        var policy: PurchasePolicy
        var importCertificates: String
    }

    static func standingKey(revision: Int, _ q: Question, on db: any SQLDatabase) async throws -> StandingKey {
        let row = try await db.raw("SELECT COUNT(*) AS n, MAX(recorded_at) AS latest FROM import_certificates").first()
        let count = try row?.decode(column: "n", as: Int.self) ?? 0
        let latest = try row?.decode(column: "latest", as: String?.self) ?? ""
        return StandingKey(revision: revision, today: q.today, policy: q.policy, importCertificates: "\(count) \(latest)")
    }

    /// Every supplier `PurchasePolicy.standing` does not allow on `today`, by name: the candidates
    /// any of its rules could stop are read with the gate's own reads (`SupplierSnapshotReader`,
    /// without the certificate's items, which no rule of the standing looks at) and judged, so no
    /// rule has a second implementation here.
    static func standing(today: CalendarDate, policy: PurchasePolicy, on db: any SQLDatabase) async throws -> [Judged] {
        let candidates = try await candidates(today: today, policy: policy, on: db)
        var judged: [Judged] = []
        for chunk in Array(candidates).chunked(SupplierWriter.rowsPerStatement) {
            let snapshots = try await SupplierSnapshotReader(db: db).current(ids: Set(chunk), nopOperationIds: [], withItems: false)
            let exporters = snapshots.filter { $0.supplier.isImporter }.map(\.supplier.id)
            let importCertificates = Dictionary(grouping: try await ImportCertificateStore.certificates(exporterIds: exporters, on: db), by: \.exporterId)
            for snapshot in snapshots {
                let assessment = policy.standing(snapshot, importCertificates: importCertificates[snapshot.supplier.id] ?? [], on: today)
                if assessment.decision != .allow { judged.append((snapshot.supplier.id, snapshot.supplier.name, assessment)) }
            }
        }
        return judged.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// The suppliers some product-independent rule could stop on `today`: more than it stops (a
    /// later paper may agree; an importer may hold a covering certificate), never fewer.
    private static func candidates(today: CalendarDate, policy: PurchasePolicy, on db: any SQLDatabase) async throws -> Set<String> {
        // Which of the countries on record are abroad is decided by `Supplier.isAbroad`, once per country.
        let abroad = try await db.raw("SELECT DISTINCT country FROM suppliers WHERE country IS NOT NULL").all()
            .map { try $0.decode(column: "country", as: String.self) }.filter { Supplier.isAbroad(country: $0) }
        let importing: SQLQueryString = policy.importCertificate == .off ? ""
            : abroad.isEmpty ? " OR s.imports = 1" : " OR s.imports = 1 OR s.country IN \(SQLBind.group(abroad))"
        let withoutPaper: SQLQueryString = policy.requireCertificateOnFile ? """
             OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.supplier_id = s.id AND d.kind = \(bind: DocumentKind.organicCertificate.rawValue))
            """ : ""
        var ids = Set(try await db.raw("""
            SELECT s.id FROM suppliers s LEFT JOIN certificates c ON c.supplier_id = s.id
            WHERE c.supplier_id IS NULL OR c.status_code <> 'certified' OR COALESCE(c.valid_to, c.anniversary_date) < \(bind: today.description)
            OR s.nop_operation_id IS NULL\(importing)\(withoutPaper)
            UNION SELECT d.supplier_id FROM documents d JOIN document_readings r ON r.document_id = d.id
            WHERE d.kind = \(bind: DocumentKind.organicCertificate.rawValue) AND r.findings <> '[]'
            UNION SELECT l.supplier_id FROM latest_verifications l JOIN verifications v ON v.id = l.verification_id
            WHERE v.outcome = 'not_found'
            """).all().map { try $0.decode(column: "id", as: String.self) })
        ids.formUnion(try await FraudNoticeStore.suppliersNamed(by: try await FraudNoticeStore.all(on: db), on: db).map(\.0.id))
        return ids
    }
}
