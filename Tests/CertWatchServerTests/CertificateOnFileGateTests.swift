import CertWatchCore
import CertWatchDocuments
import CertWatchGate
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// The purchase gate reads the certificate on file: real PDFs filed through `DocumentReview`,
/// then checks through the same gate (its kept facts must see each upload at once).
@Suite struct CertificateOnFileGateTests {
    typealias Paper = DocumentReadingTests

    /// Northfield verified just now, so a check of Wheat allows until the paper says otherwise.
    func verifiedNorthfield(_ database: Database) async throws -> String {
        let id = try await Paper.registry(database)
        let stored = try #require(try await SupplierStore(database: database).get(id: id))
        try await VerificationStore(database: database).record(
            [.init(supplier: stored, decision: VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil), foundStatus: "Certified")],
            runId: RecordID.make(), evidence: .init(source: "test", url: nil, digest: nil, at: Date()))
        return id
    }

    func file(_ database: Database, _ id: String, name: String = "Northfield Grain Co-op", nop: String = "4920007290") async throws -> StoredDocument {
        let pdf = try await CertificatePDF.make("certificate", name, nop, Paper.usDate, "Oregon Tilth", "Wheat, Rolled oats")
        return try await DocumentReview(database: database)
            .file(supplierId: id, kind: .organicCertificate, fileName: "certificate.pdf", bytes: pdf, uploadedBy: "compliance").document
    }

    /// The decision, then each reason's code.
    func ask(_ gate: PurchaseGate, _ id: String, on date: CalendarDate? = nil) async throws -> [String] {
        let check = try await gate.check(.init(supplier: .id(id), product: "Wheat", date: date, askedBy: "buyer"))
        return [check.decision.rawValue] + check.reasons.map(\.code.rawValue)
    }

    @Test(arguments: Backend.allCases)
    func theLatestCertificateOnFileGovernsAndAForgeryBlocks(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let id = try await verifiedNorthfield(database)
            let gate = PurchaseGate(database: database, policy: PurchasePolicy())
            let answer1 = try await ask(gate, id)
            #expect(answer1 == ["allow"])

            let altered = try await file(database, id, name: "Northfeld Grains Cooperative")
            let answer2 = try await ask(gate, id)
            #expect(answer2 == ["review", "document_mismatch"], "an altered name holds the purchase for review")
            let alerts = try await AlertStore(database: database).list(.init(limit: 10)).items.filter { $0.kind == .documentMismatch }
            #expect(alerts.map(\.data.documentId) == [altered.id], "and raises one document.mismatch alert")
            #expect(alerts.first?.data.findings == ["name_not_found"])

            _ = try await file(database, id)
            let answer3 = try await ask(gate, id)
            #expect(answer3 == ["allow"], "a matching certificate filed later governs")

            _ = try await file(database, id, nop: "1230004567")
            let answer4 = try await ask(gate, id)
            #expect(answer4 == ["block", "document_of_another_operation", "document_mismatch"],
                    "another operation's NOP ID on the paper blocks")

            let yesterday = try await ask(gate, id, on: TestDates.today.adding(days: -1))
            #expect(!yesterday.contains("document_mismatch"), "a past date is answered with the papers on file then: none")
        }
    }

    @Test(arguments: Backend.allCases)
    func noCertificateOnFileIsAReviewWhenThePolicyAsksForOne(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let id = try await verifiedNorthfield(database)
            let gate = PurchaseGate(database: database, policy: PurchasePolicy(requireCertificateOnFile: true))
            let answer5 = try await ask(gate, id)
            #expect(answer5 == ["review", "no_certificate_on_file"])
            _ = try await file(database, id)
            let answer6 = try await ask(gate, id)
            #expect(answer6 == ["allow"])
        }
    }
}
