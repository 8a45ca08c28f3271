import CertWatchCore
import Foundation
import Testing

// Dates here are relative to PurchasePolicyTests' injected `now`, never to the real clock.
/// The lot rules, one fact at a time: an importing supplier needs a NOP Import Certificate for
/// this exporter, product, date and quantity.
@Suite struct ImportCertificatePolicyTests {
    static let today = PurchasePolicyTests.today

    static func certificate(kind: ImportCertificate.Kind = .timeFrame) -> ImportCertificate {
        ImportCertificate(id: "ic1", number: "IC-1", exporterId: "s1", importer: "Northern Foods", kind: kind,
                          shipmentDate: kind == .shipment ? today.adding(days: -2) : nil,
                          validFrom: kind == .timeFrame ? today.adding(days: -30) : nil, validTo: kind == .timeFrame ? today.adding(days: 30) : nil,
                          lines: [.init(product: "Avocados", quantity: 1_000, unit: "kg")])
    }

    /// Facts that allow, from Mexico with a certificate that covers the lot.
    static func facts(_ change: (inout PurchaseFacts) -> Void = { _ in }) -> PurchaseFacts {
        PurchasePolicyTests.facts { facts in
            facts.supplier!.country = "Mexico"
            facts.lot = Lot(importCertificate: "IC-1", quantity: 400, unit: "kg")
            facts.importCertificateOnRecord = certificate()
            change(&facts)
        }
    }

    func codes(_ policy: PurchasePolicy = PurchasePolicy(), _ change: (inout PurchaseFacts) -> Void) -> [String] {
        let answer = policy.assess(Self.facts(change))
        return [answer.decision.rawValue] + answer.reasons.map(\.code.rawValue)
    }

    @Test func aCoveredLotIsAllowedAndNamesItsLine() {
        let answer = PurchasePolicy().assess(Self.facts())
        #expect(answer.decision == .allow && answer.importLine == "Avocados")
    }

    @Test func anImportWithoutACertificateIsBlockedUnlessThePolicySaysOtherwise() {
        #expect(codes { $0.lot = Lot() } == ["block", "import_certificate_missing"])
        #expect(codes(PurchasePolicy(importCertificate: .review)) { $0.lot = Lot() } == ["review", "import_certificate_missing"])
        #expect(codes(PurchasePolicy(importCertificate: .off)) { $0.lot = Lot() } == ["allow"])
        #expect(codes { $0.lot = Lot(); $0.supplier!.country = "United States of America (the)" } == ["allow"], "INTEGRITY's spelling of the US")
        #expect(codes { $0.lot = Lot(); $0.supplier!.country = nil } == ["allow"], "no country is taken as domestic")
        #expect(codes { $0.lot = Lot(); $0.supplier!.country = "USA"; $0.supplier!.imports = true } == ["block", "import_certificate_missing"],
                "a US supplier marked as importing")
    }

    @Test func theCertificateMustBeKnownAndTheExporters() {
        #expect(codes { $0.importCertificateOnRecord = nil } == ["block", "import_certificate_unknown"])
        #expect(codes { $0.importCertificateOnRecord!.exporterId = "s2" } == ["block", "import_certificate_other_exporter"])
    }

    @Test func theProductAndTheDateMustBeOnIt() {
        #expect(codes { $0.product = "Mangos" } == ["block", "product_not_on_certificate", "import_certificate_product_not_listed"])
        #expect(codes { $0.date = Self.today.adding(days: 31) } == ["block", "import_certificate_outside_period"])
        #expect(codes { $0.date = Self.today.adding(days: -31) } == ["block", "import_certificate_outside_period"])
        #expect(codes { $0.importCertificateOnRecord = Self.certificate(kind: .shipment) } == ["allow"], "a delivery after the shipment")
        #expect(codes { $0.importCertificateOnRecord = Self.certificate(kind: .shipment); $0.date = Self.today.adding(days: -3) }
                    == ["block", "import_certificate_outside_period"])
    }

    @Test func theQuantityCountsWhatEarlierChecksUsed() {
        #expect(codes { $0.usedByLine = ["Avocados": 600] } == ["allow"], "600 + 400 is exactly the 1000 authorised")
        let over = PurchasePolicy().assess(Self.facts { $0.usedByLine = ["Avocados": 700] })
        #expect(over.decision == .block && over.reasons.map(\.code) == [.importCertificateQuantityExceeded])
        #expect(over.reasons[0].message.contains("exceed it by 100 kg"), "\(over.reasons[0].message)")
        let otherUnit = PurchasePolicy().assess(Self.facts { $0.lot.unit = "lb" })
        #expect(otherUnit.decision == .review && otherUnit.reasons.map(\.code) == [.importCertificateQuantityExceeded],
                "another unit cannot be compared: a person converts")
    }

    @Test func aCertificateIsRefusedWithEveryBadField() {
        let input = ImportCertificateInput(number: " ", importer: "X", kind: "time_frame", validFrom: "2026-05-01", validTo: "2026-04-01",
                                           products: [.init(product: "Avocados", quantity: 0, unit: "kg")])
        #expect(throws: ValidationFailure.self) { try input.validated(id: "i", exporterId: nil) }
        do {
            _ = try input.validated(id: "i", exporterId: nil)
        } catch {
            #expect(error.errors.map(\.field) == ["number", "exporterId", "validTo", "products[0].quantity"])
        }
    }
}
