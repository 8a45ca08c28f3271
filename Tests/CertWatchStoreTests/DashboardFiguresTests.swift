import CertWatchCore
import CertWatchTestSupport
import Foundation
import Testing

@testable import CertWatchStore

/// The dashboard's "blocked or held for review now" lists every supplier the purchase gate stops
/// whatever the product, for the gate's reasons: a fraud notice, a forged paper, an importer
/// without an import certificate, no NOP ID; a clean supplier and a covered importer are not listed.
@Suite struct DashboardFiguresTests {
    let today = CalendarDate(utc: Date())

    func question(_ policy: PurchasePolicy = PurchasePolicy()) -> DashboardFigures.Question {
        DashboardFigures.Question(today: today, staleBefore: Date().addingTimeInterval(-7 * 86_400), changesSince: Date().addingTimeInterval(-30 * 86_400),
                                  lapsingThrough: today.adding(days: 60), limit: 10, policy: policy)
    }

    func certified(_ name: String, nop: String?, country: String? = "United States of America (the)") -> Supplier {
        Supplier(id: RecordID.make(), name: name, nopOperationId: nop.flatMap(NOPOperationID.init), country: country,
                 certificate: Certificate(status: .certified, anniversaryDate: today.adding(days: 200)))
    }

    func listed(_ figures: DashboardFigures, _ policy: PurchasePolicy = PurchasePolicy()) async throws -> [String: [String]] {
        let snapshot = try await figures.snapshot(question(policy), at: Date())
        #expect(snapshot.blockingTotal == snapshot.blocking.count)
        return Dictionary(uniqueKeysWithValues: snapshot.blocking.map {
            ($0.supplier.supplier.name, [$0.assessment.decision.rawValue] + $0.assessment.reasons.map(\.code.rawValue))
        })
    }

    @Test(arguments: Backend.allCases)
    func everyRuleOfTheGateListsASupplier(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let suppliers = SupplierStore(database: database)
            let figures = DashboardFigures(database: database)
            _ = try await suppliers.create(certified("Clean Farm", nop: "8150000001"))
            #expect(try await listed(figures).isEmpty, "nothing stops a certified, linked, domestic supplier")

            _ = try await suppliers.create(certified("Named Farm", nop: "8150000002"))
            _ = try await FraudNoticeStore(database: database).importNotices(
                [FraudNotice(id: "n1", operationName: "Named Farm", identifier: nil, certifier: nil, noticeDate: today, url: "https://example.org/n1")], at: Date())
            let forged = try await suppliers.create(certified("Paper Farm", nop: "8150000003"))
            let documents = DocumentStore(database: database)
            let paper = try await documents.add(supplierId: forged.supplier.id, kind: .organicCertificate, fileName: "c.pdf",
                                                bytes: Array("%PDF-1.4\n%%EOF\n".utf8), uploadedBy: "test")
            try await documents.save(DocumentReading(documentId: paper.id, status: .read, detail: nil, findings: [
                DocumentFinding(.nopIdOfAnotherOperation, "The certificate names NOP ID 8150000009, another operation's."),
            ], readAt: Date()))
            let importer = try await suppliers.create(certified("Import Farm", nop: "8150000004", country: "Mexico"))
            _ = try await suppliers.create(certified("Unlinked Farm", nop: nil))

            #expect(try await listed(figures) == [
                "Named Farm": ["block", "fraud_notice"],
                "Paper Farm": ["block", "document_of_another_operation", "document_mismatch"],
                "Import Farm": ["block", "import_certificate_missing"],
                "Unlinked Farm": ["review", "not_linked_to_integrity"],
            ])
            #expect(try await listed(figures, PurchasePolicy(importCertificate: .off))["Import Farm"] == nil)

            // A covering import certificate takes the importer off at once, though the registry
            // revision did not move (the gate reads import certificates per check).
            _ = try await ImportCertificateStore(database: database).add(ImportCertificate(
                id: RecordID.make(), number: "IC-1", exporterId: importer.supplier.id, importer: "Us", kind: .timeFrame,
                validFrom: today.adding(days: -5), validTo: today.adding(days: 5), lines: [.init(product: "Avocados", quantity: 100, unit: "kg")]),
                recordedBy: "test")
            #expect(try await listed(figures)["Import Farm"] == nil)
        }
    }
}
