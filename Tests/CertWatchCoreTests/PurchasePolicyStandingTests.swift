import CertWatchCore
import Foundation
import Testing

/// The dashboard's "blocked or held for review now" judges every rule of the gate that does not
/// depend on the product or the lot, each alone here. Dates are relative to one fixed day the
/// test chooses, never today.
@Suite struct PurchasePolicyStandingTests {
    let day = CalendarDate(year: 2030, month: 6, day: 1)!
    let policy = PurchasePolicy()

    func certified(_ name: String = "Valle Verde", country: String? = nil) -> Supplier {
        Supplier(id: "s1", name: name, nopOperationId: NOPOperationID("8150001234"), country: country,
                 certificate: Certificate(status: .certified, anniversaryDate: day.adding(days: 100)))
    }

    func snapshot(_ supplier: Supplier, verification: VerificationOutcome = .verified, paper: [DocumentFinding]? = nil,
                  notices: [FraudNotice] = []) -> SupplierSnapshot {
        SupplierSnapshot(supplier: supplier, latestVerification: VerificationEvidence(id: "v", at: Date(timeIntervalSince1970: 0), outcome: verification, reason: nil),
                         lastSuccessAt: nil, certificateOnFile: paper.map { CertificateOnFile(documentId: "d", uploadedAt: Date(timeIntervalSince1970: 0), findings: $0) },
                         fraudNotices: notices)
    }

    func codes(_ snapshot: SupplierSnapshot, _ importCertificates: [ImportCertificate] = [], policy: PurchasePolicy? = nil) -> [String] {
        let assessment = (policy ?? self.policy).standing(snapshot, importCertificates: importCertificates, on: day)
        return [assessment.decision.rawValue] + assessment.reasons.map(\.code.rawValue)
    }

    @Test func aCertifiedSupplierWithNothingAgainstItIsNotListed() {
        #expect(codes(snapshot(certified())) == ["allow"])
        #expect(codes(snapshot(certified(), verification: .failed)) == ["allow"], "verification problems have their own list")
    }

    @Test func eachRuleAloneListsTheSupplier() {
        #expect(codes(snapshot(certified(), paper: [DocumentFinding(.nopIdOfAnotherOperation, "another operation's NOP ID")]))
                == ["block", "document_of_another_operation", "document_mismatch"])
        let notice = FraudNotice(id: "n", operationName: "Valle Verde", identifier: nil, certifier: nil, noticeDate: day, url: "https://example.org/n")
        #expect(codes(snapshot(certified(), notices: [notice])) == ["block", "fraud_notice"])
        #expect(codes(snapshot(certified(), verification: .notFound)).contains("not_found_in_integrity"))
        var suspended = certified()
        suspended.certificate?.status = .suspended
        #expect(codes(snapshot(suspended)).contains("status_not_certified"))
        var none = certified()
        none.certificate = nil
        #expect(codes(snapshot(none)).contains("no_certificate"))
    }

    @Test func anImporterNeedsAnImportCertificateCoveringTheDay() {
        let importer = certified(country: "Mexico")
        #expect(codes(snapshot(importer)) == ["block", "import_certificate_missing"])
        let covering = ImportCertificate(id: "i", number: "IC-1", exporterId: "s1", importer: "Us", kind: .timeFrame,
                                         validFrom: day.adding(days: -10), validTo: day.adding(days: 10), lines: [])
        #expect(codes(snapshot(importer), [covering]) == ["allow"])
        var lapsed = covering
        lapsed.validTo = day.adding(days: -1)
        #expect(codes(snapshot(importer), [lapsed]) == ["block", "import_certificate_missing"])
        #expect(codes(snapshot(importer), policy: PurchasePolicy(importCertificate: .off)) == ["allow"])
        #expect(codes(snapshot(importer), policy: PurchasePolicy(importCertificate: .review)) == ["review", "import_certificate_missing"])
    }
}
