import CertWatchCore

/// Its certificate's fixed dates are read against the injected `now` of the tests that use it.
enum Fixtures {
    static func supplier(
        id: String = "s-valle", name: String = "Valle Verde Aguacates", nop: String? = "8150001234",
        status: CertificationStatus = .certified, tags: [String] = ["fruit", "import"]
    ) -> Supplier {
        Supplier(
            id: id, name: name, otherNames: ["Aguacates Valle Verde S.A.", "\"Quoted\" back\\slash\nnew line\u{1} ñ 日本"], nopOperationId: nop.flatMap(NOPOperationID.init),
            certifier: "CCOF Certification Services", country: "Mexico", contactEmails: ["buyer@example.com"],
            timeZone: "America/Mexico_City", tags: tags,
            certificate: Certificate(
                scheme: .nop, number: "C-815", status: status,
                statusEffectiveDate: CalendarDate(year: 2021, month: 2, day: 1),
                anniversaryDate: CalendarDate(year: 2027, month: 1, day: 15),
                scopes: [.crops: ScopeStatus(status: .certified, effectiveDate: CalendarDate(year: 2021, month: 2, day: 1)),
                         .handling: ScopeStatus(status: .other("Applied; APEDA Certified"))],
                items: [
                    CertifiedItem(scope: .crops, category: "Fruit", items: ["Avocados"], varieties: ["Hass", "Fuerte"]),
                    CertifiedItem(scope: .handling, items: ["Guacamole"], status: .suspended,
                                  statusEffectiveDate: CalendarDate(year: 2026, month: 10, day: 2)),
                ]))
    }
}
