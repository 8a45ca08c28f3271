import CertWatchCore
import Testing

// The dates here are only read from text and compared with each other, never with today.
@Suite struct CertificateCrossCheckTests {
    static let supplier = Supplier(
        id: "s1", name: "Valle Verde Aguacates S.A. de C.V.", otherNames: ["Aguacates Valle Verde"], nopOperationId: NOPOperationID("8150001234"),
        certifier: "CCOF Certification Services, LLC",
        certificate: Certificate(status: .certified, anniversaryDate: CalendarDate(iso: "2027-01-15"),
                                 items: [CertifiedItem(scope: .crops, category: "Fruits", items: ["Avocados"], varieties: ["Hass"], status: .certified)]))

    static func text(name: String = "VALLE VERDE AGUACATES", nop: String = "8150001234", anniversary: String = "01/15/2027",
                     products: String = "Hass avocados") -> CertificateText {
        CertificateText("""
            Certificate of Organic Operation
            Operation name: \(name), S.A. de C.V.
            NOP ID: \(nop)
            Certified by CCOF Certification Services
            Effective Date: March 3, 2020     Anniversary Date: \(anniversary)

            Products:
            \(products)

            Issued on 2026-02-01
            """)
    }

    @Test func aMatchingCertificateHasNoFinding() {
        let paper = Self.text()
        #expect(paper.nopOperationIds == ["8150001234"])
        #expect(paper.anniversaryDate == CalendarDate(iso: "2027-01-15"))
        #expect(paper.effectiveDate == CalendarDate(iso: "2020-03-03"))
        #expect(paper.issueDate == CalendarDate(iso: "2026-02-01"))
        #expect(paper.products == ["Hass avocados"])
        #expect(CertificateCrossCheck.findings(paper, supplier: Self.supplier, otherOperations: []) == [])
    }

    @Test func eachDisagreementIsAFinding() {
        let codes = { (paper: CertificateText, others: [CertificateCrossCheck.OtherOperation]) in
            CertificateCrossCheck.findings(paper, supplier: Self.supplier, otherOperations: others).map(\.code)
        }
        #expect(codes(Self.text(nop: "8150009999"), []) == [.nopIdDiffers])
        #expect(codes(Self.text(nop: "4920007290"), [.init(nopOperationId: "4920007290", name: "Northfield Grain Co-op")]) == [.nopIdOfAnotherOperation])
        #expect(codes(Self.text(nop: "no number"), []) == [.nopIdMissing])
        #expect(codes(Self.text(name: "VALLE VERDE AGUACATEROS"), []) == [.nameNotFound], "an altered name")
        #expect(codes(Self.text(anniversary: "01/15/2028"), []) == [.anniversaryDiffers])
        #expect(codes(Self.text(products: "Hass avocados, Mangos"), []) == [.productNotListed])
    }

    @Test func legalSuffixesAndAccentsDoNotMatter() {
        let supplier = Supplier(id: "s2", name: "Bergkräuter Genossenschaft eG", certifier: "Austria Bio Garantie GmbH")
        let paper = CertificateText("Kontrollbescheinigung: BERGKRAUTER GENOSSENSCHAFT — Kontrollstelle Austria Bio Garantie")
        #expect(CertificateCrossCheck.findings(paper, supplier: supplier, otherOperations: []) == [])
    }
}
