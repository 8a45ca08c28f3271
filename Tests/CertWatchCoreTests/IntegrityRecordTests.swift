import CertWatchCore
import Testing

// Fixed dates here are only parsed and compared with each other, never with today.
@Suite struct IntegrityDateTests {
    @Test(arguments: [
        ("2020-01-01", "2020-01-01"), ("2020-01-01T00:00:00", "2020-01-01"), ("2026-10-02T00:00:00.000Z", "2026-10-02"),
        ("1/31/2020", "2020-01-31"), ("01/05/2027 12:00:00 AM", "2027-01-05"),
        ("/Date(1577854800000-0500)/", "2020-01-01"), ("/Date(1577836800000)/", "2020-01-01"),
        ("/Date(1577919600000+0900)/", "2020-01-02"), ("/Date(-86400000)/", "1969-12-31"),
    ])
    func readsEveryFormatINTEGRITYUses(_ text: String, _ expected: String) throws {
        #expect(try IntegrityDate.parse(text)?.description == expected)
    }

    @Test(arguments: ["31.01.2020", "2020-13-01", "13/31/2020", "/Date(abc)/", "yesterday", "2020-01-01X"])
    func refusesTheRest(_ text: String) {
        #expect(throws: IntegrityDate.Unreadable(text: text)) { try IntegrityDate.parse(text) }
    }

    @Test func emptyMeansNull() throws {
        #expect(try IntegrityDate.parse("  ") == nil)
    }

    @Test func epochDaysRoundTrip() throws {
        for days in [-700_000, -1, 0, 1, 18_262, 20_000, 2_932_896] {
            let date = try #require(CalendarDate(daysSinceEpoch: days))
            #expect(date.daysSinceEpoch == days)
        }
        #expect(CalendarDate(daysSinceEpoch: 18_262)?.description == "2020-01-01")
    }
}

@Suite struct IntegrityRecordTests {
    static let fields = [
        "op_nopOpID": "4920007290", "op_name": "Northfield Grain Co-op", "op_otherNames": "Northfield; NGC",
        "op_certifierName": "Oregon Tilth", "op_status": "Suspended", "op_statusEffectiveDate": "/Date(1790899200000)/",
        "op_nopAnniversaryDate": "4/30/2027", "opSC_CR": "Certified", "opSC_CR_ED": "2019-04-12T00:00:00",
        "opSC_HANDLING": "Suspended", "opSC_LS": "", "opPA_city": "Ames", "opPA_country": "United States of America (the)",
    ]
    static let item = ["ci_nopOpID": "4920007290", "ci_nopScope": "CROPS", "ci_nopCatName": "Grains",
                       "ci_itemList": "Wheat, Oats", "ci_varieties": "Hard Red", "ci_status": "Certified"]

    @Test func mapsTheFieldVocabulary() throws {
        let operation = try IntegrityRecord.operation(Self.fields, items: [Self.item])
        #expect(operation.status == .suspended)
        #expect(operation.statusEffectiveDate?.description == "2026-10-02")
        #expect(operation.anniversaryDate?.description == "2027-04-30")
        #expect(operation.otherNames == ["Northfield", "NGC"])
        #expect(operation.scopes[.crops] == ScopeStatus(status: .certified, effectiveDate: CalendarDate(iso: "2019-04-12")))
        #expect(operation.scopes[.handling]?.status == .suspended)
        #expect(operation.scopes[.livestock] == nil, "a blank scope is not held")
        #expect(operation.items == [CertifiedItem(scope: .crops, category: "Grains", items: ["Wheat", "Oats"], varieties: ["Hard Red"])])
        #expect(operation.city == "Ames")
    }

    @Test(arguments: [
        ("op_status", "", "op_status"),
        ("op_nopAnniversaryDate", "30.04.2027", "op_nopAnniversaryDate"),
        ("op_nopOpID", "49200", "op_nopOpID"),
    ])
    func refusesWhatItCannotRead(_ key: String, _ value: String, _ field: String) {
        var fields = Self.fields
        fields[key] = value
        #expect { try IntegrityRecord.operation(fields, items: []) } throws: { ($0 as? IntegrityFormatError)?.field == field }
    }

    @Test func keepsAStatusOutsideTheKnownListAsWritten() throws {
        var fields = Self.fields
        fields["op_status"] = " Applied; APEDA Certified "
        fields["opSC_CR"] = "Pending"
        var item = Self.item
        item["ci_status"] = "Under review"
        let operation = try IntegrityRecord.operation(fields, items: [item])
        #expect(operation.status == .other("Applied; APEDA Certified") && operation.status.code == "other")
        #expect(operation.status.text == "Applied; APEDA Certified" && !operation.status.isKnown)
        #expect(operation.scopes[.crops]?.status == .other("Pending"))
        #expect(operation.items.first?.status == .other("Under review"))
        #expect(IntegrityRecord.unknownStatuses(in: fields) == ["Applied; APEDA Certified", "Pending"])
        #expect(IntegrityRecord.unknownStatuses(in: Self.fields).isEmpty)
    }

    @Test func readsValuesAsTheyCome() throws {
        var fields = Self.fields
        fields["op_otherNames"] = "N/A"
        fields["op_certifierName"] = "  [MOSA] Midwest Organic Services Association, Inc. "
        let operation = try IntegrityRecord.operation(fields, items: [])
        #expect(operation.otherNames.isEmpty, "N/A is no alias")
        #expect(operation.certifierShortName == "MOSA" && operation.certifierName == "Midwest Organic Services Association, Inc.")
        fields["op_otherNames"] = "Northfield; n/a"
        fields["op_certifierName"] = "Oregon Tilth"
        let plain = try IntegrityRecord.operation(fields, items: [])
        #expect(plain.otherNames == ["Northfield"] && plain.certifierShortName == nil && plain.certifierName == "Oregon Tilth")
        let entry = try #require(IntegrityDirectoryEntry(fields: ["op_nopOpID": "4920007290", "op_name": "N", "op_otherNames": "N/A",
                                                                  "op_certifierName": "[CCOF] CCOF Certification Services, LLC"]))
        #expect(entry.otherNames.isEmpty && entry.certifierShortName == "CCOF" && entry.certifier == "CCOF Certification Services, LLC")
        #expect(IntegrityValues.certifierText(shortName: "CCOF", name: "CCOF Certification Services, LLC")
            == "[CCOF] CCOF Certification Services, LLC", "what the directory stores reads back the same")
        #expect(IntegrityValues.certifier("[] Nameless").shortName == nil && IntegrityValues.certifier("[OTCO]").name == nil)
    }

    @Test func writesWCFDatesForRequests() throws {
        #expect(IntegrityDate.wcfText(try #require(CalendarDate(iso: "2025-12-01"))) == "/Date(1764547200000)/")
        #expect(try IntegrityDate.parse(IntegrityDate.wcfText(try #require(CalendarDate(iso: "2025-12-01"))))?.description == "2025-12-01")
    }

    @Test func refusesAnItemWithAnUnknownScope() {
        var item = Self.item
        item["ci_nopScope"] = "Aquaculture"
        #expect { try IntegrityRecord.operation(Self.fields, items: [item]) } throws: { ($0 as? IntegrityFormatError)?.field == "ci_nopScope" }
    }

    @Test func changesListWhatDiffers() throws {
        let operation = try IntegrityRecord.operation(Self.fields, items: [Self.item])
        let old = Certificate(scheme: .nop, number: "C-1", status: .certified, anniversaryDate: CalendarDate(iso: "2027-04-30"),
                              scopes: [.crops: ScopeStatus(status: .certified, effectiveDate: CalendarDate(iso: "2019-04-12"))],
                              items: [CertifiedItem(scope: .crops, items: ["Wheat", "Oats"], varieties: ["Hard Red"])])
        let new = operation.certificate(keeping: old)
        #expect(new.number == "C-1")
        let changes = CertificateChange.between(old, new)
        #expect(changes.map(\.field) == ["status", "statusEffectiveDate", "scopes.handling"])
        #expect(changes.first == CertificateChange(field: "status", from: "Certified", to: "Suspended"))
        #expect(CertificateChange.between(new, new).isEmpty)
    }
}
