import CertWatchCore
import Testing

@Suite struct ImportCertificateNumberTests {
    @Test(arguments: [
        ("123-4567890123-456789", "123-4567890123-456789"), (" 123 4567890123 456789 ", "123-4567890123-456789"),
        ("123–4567890123—456789", "123-4567890123-456789"), ("1234567890123456789", "123-4567890123-456789"),
        ("123 45678901 23456789", "123 45678901 23456789"), ("NOP-IC-AT-2026-0001", "NOP-IC-AT-2026-0001"), ("  IC 7  ", "IC 7"),
    ])
    func numbersTakeOneElectronicFormAndFreeTextStaysAsTyped(_ typed: String, _ stored: String) {
        #expect(ImportCertificateNumber.canonical(typed) == stored)
        #expect(ImportCertificateNumber.canonical(stored) == stored, "canonical is idempotent")
        #expect(ImportCertificateNumber.isElectronic(typed) == (stored.count == 21 && stored.hasPrefix("123-")))
    }

    @Test func anyDigitStringCanonicalisesOnceAndForAll() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let digits = String((0..<Int.random(in: 1...25, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
            let once = ImportCertificateNumber.canonical(digits)
            #expect(ImportCertificateNumber.canonical(once) == once)
            #expect(ImportCertificateNumber.isElectronic(once) == (digits.count == 19))
        }
    }

    /// The shipment date is only validated and read back, never compared with today.
    @Test func shipmentDetailsAreCheckedAndKept() throws {
        let input = ImportCertificateInput(
            number: "123 4567890123 456789", importer: "Northern Organic Foods Inc.", kind: "shipment", shipmentDate: "2026-01-02",
            products: [.init(product: "Avocados", quantity: 20_000, unit: "kg")], origin: " Uruapan ", htsCode: "0804.40.00.10",
            totalWeightKg: 20_500, lotNumbers: ["L-1", " L-2 ", "L-1"])
        let certificate = try input.validated(id: "c1", exporterId: "s1")
        #expect(certificate.number == "123-4567890123-456789" && certificate.numberIsElectronic)
        #expect(certificate.origin == "Uruapan" && certificate.destination == nil)
        #expect(certificate.htsCode == "0804.40.00.10" && certificate.totalWeightKg == 20_500 && certificate.lotNumbers == ["L-1", "L-2"])
        var bad = input
        bad.htsCode = "08044"
        bad.totalWeightKg = 0
        bad.lotNumbers = ["", "a\u{7}b"]
        do {
            _ = try bad.validated(id: "c1", exporterId: "s1")
            Issue.record("a bad tariff code, weight and lots must be refused")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["htsCode", "totalWeightKg", "lotNumbers[0]", "lotNumbers[1]"])
        }
    }
}
