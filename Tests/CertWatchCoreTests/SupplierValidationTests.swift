import CertWatchCore
import Testing

// Fixed dates here are only validated and read back, never compared with today.
@Suite struct SupplierValidationTests {
    static let complete = SupplierInput(
        name: " Valle Verde Aguacates ", otherNames: ["Aguacates Valle Verde S.A.", ""], nopOperationId: "8150001234",
        certifier: "CCOF", country: "Mexico", contactEmails: ["buyer@example.com"], timeZone: "America/Mexico_City",
        tags: ["fruit", "Fruit", "import"],
        certificate: CertificateInput(
            scheme: "NOP", status: "Certified", statusEffectiveDate: "2021-02-01", anniversaryDate: "2027-01-15",
            scopes: ["crops": ScopeStatusInput(status: "certified", effectiveDate: "2021-02-01"),
                     "Handling": ScopeStatusInput(status: "Suspended")],
            items: [CertifiedItemInput(scope: "crops", category: "Fruit", items: ["Avocados"], varieties: ["Hass"])]))

    @Test func acceptsACompleteSupplierAndCleansIt() throws {
        let supplier = try Self.complete.validated(id: "s1")
        #expect(supplier.name == "Valle Verde Aguacates")
        #expect(supplier.otherNames == ["Aguacates Valle Verde S.A."])
        #expect(supplier.tags == ["fruit", "import"], "duplicate tags ignoring case are dropped")
        let certificate = try #require(supplier.certificate)
        #expect(certificate.scheme == .nop)
        #expect(certificate.status == .certified)
        #expect(certificate.anniversaryDate == CalendarDate(year: 2027, month: 1, day: 15))
        #expect(certificate.scopes[.crops]?.status == .certified)
        #expect(certificate.scopes[.handling]?.status == .suspended)
        #expect(certificate.items == [CertifiedItem(scope: .crops, category: "Fruit", items: ["Avocados"], varieties: ["Hass"])])
    }

    /// Schemathesis found it: an `@` followed by a combining mark (U+1F3FB, a skin tone) is one
    /// character, so an address judged by characters had no `@`; the API's pattern judges scalars.
    @Test func addressesAreJudgedScalarByScalarAsTheAPIDocumentSays() throws {
        var input = Self.complete
        input.contactEmails = ["buyer-@\u{1F3FB}.example", "e\u{301}@example.com"]
        #expect(try input.validated(id: "s1").contactEmails == ["buyer-@\u{1F3FB}.example", "e\u{301}@example.com"])
        input.contactEmails = ["buyer@\u{301}example", "a\u{2003}b@example.com", "a@b@example.com"]
        #expect(throws: ValidationFailure.self) { try input.validated(id: "s1") }
    }

    @Test func reportsEveryBadFieldAtOnce() {
        var input = Self.complete
        input.name = "  "
        input.nopOperationId = "123"
        input.contactEmails = ["not-an-email"]
        input.timeZone = "Mars/Olympus"
        input.certificate?.status = "Pending"
        input.certificate?.anniversaryDate = "2027-02-30"
        input.certificate?.scopes = ["fish": ScopeStatusInput(status: "certified")]
        input.certificate?.items = [CertifiedItemInput(scope: "crops", items: [])]
        #expect {
            try input.validated(id: "s1")
        } throws: { error in
            let fields = Set((error as? ValidationFailure)?.errors.map(\.field) ?? [])
            return fields == ["name", "nopOperationId", "contactEmails[0]", "timeZone", "certificate.status",
                              "certificate.anniversaryDate", "certificate.scopes.fish", "certificate.items[0].items"]
        }
    }

    @Test func otherStatusNeedsItsWording() throws {
        var input = SupplierInput(name: "A", certificate: CertificateInput(status: "other"))
        #expect(throws: ValidationFailure.self) { try input.validated(id: "x") }
        input.certificate?.statusText = "Applied; APEDA Certified"
        #expect(try input.validated(id: "x").certificate?.status == .other("Applied; APEDA Certified"))
    }

    @Test func aSupplierWithoutCertificateIsValid() throws {
        let supplier = try SupplierInput(name: "New supplier").validated(id: "x")
        #expect(supplier.certificate == nil && supplier.nopOperationId == nil)
    }
}
