import CertWatchCore
import Foundation
import Testing

// Fixed dates here are only parsed, ordered and formatted, never compared with today.
@Suite struct CalendarDateTests {
    @Test(arguments: ["2026-02-28", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"])
    func parsesRealDays(_ text: String) throws {
        let date = try #require(CalendarDate(iso: text))
        #expect(date.description == text)
    }

    @Test(arguments: ["2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01",
                      "2026-1-01", "2026/01/01", "2026-01-01T00:00:00", "", "２０２６-01-01"])
    func refusesAnythingElse(_ text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test func ordersByCalendar() throws {
        let dates = try ["2027-01-01", "2026-12-31", "2026-02-01"].map { try #require(CalendarDate(iso: $0)) }
        #expect(dates.sorted().map(\.description) == ["2026-02-01", "2026-12-31", "2027-01-01"])
    }

    @Test func excelSerialDaysAreReadFromTheFirstDayExcelCountsRightly() {
        #expect(CalendarDate(excelSerial: 25_569)?.description == "1970-01-01")
        #expect(CalendarDate(excelSerial: 46_279.75)?.description == "2026-09-14", "a time of day is dropped")
        #expect(CalendarDate(excelSerial: 61)?.description == "1900-03-01")
        #expect(CalendarDate(excelSerial: 60) == nil, "Excel's 1900-02-29, a day that never was")
        #expect(CalendarDate(excelSerial: .nan) == nil && CalendarDate(excelSerial: .infinity) == nil && CalendarDate(excelSerial: 3e6) == nil)
    }

    @Test func decodingNamesTheBadValue() {
        let json = Data(#"["2026-02-30"]"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: json) }
    }
}

@Suite struct IdentifierTests {
    @Test func nopIdIsTenDigits() {
        #expect(NOPOperationID("4920007290")?.certifierPrefix == "492")
        #expect(NOPOperationID(" 4920007290\n")?.rawValue == "4920007290")
        for bad in ["492000729", "49200072901", "49200O7290", "", "４９２０００７２９０"] {
            #expect(NOPOperationID(bad) == nil, "\(bad)")
        }
    }

    @Test func timeOfDayParsesHoursAndMinutesOnly() {
        #expect(TimeOfDay("02:30")?.description == "02:30")
        #expect(TimeOfDay("7:05")?.description == "07:05")
        for bad in ["24:00", "12:60", "1230", "12:3", "ab:cd"] { #expect(TimeOfDay(bad) == nil, "\(bad)") }
    }

    @Test func statusesReadCodesAndIntegrityWording() {
        #expect(CertificationStatus(codeOrText: "Suspended") == .suspended)
        #expect(CertificationStatus(codeOrText: "withdrew_with_nonc") == .withdrewWithNONC)
        #expect(CertificationStatus(codeOrText: "Denied Certification") == .deniedCertification)
        #expect(CertificationStatus(codeOrText: "Applied; APEDA Certified") == nil)
        let kept = CertificationStatus(code: "other", text: "Applied; APEDA Certified")
        #expect(kept == .other("Applied; APEDA Certified"))
        #expect(kept.code == "other" && kept.text == "Applied; APEDA Certified")
        for status in CertificationStatus.known {
            #expect(CertificationStatus(code: status.code, text: status.text) == status)
        }
    }

    @Test func scopesReadLooseNames() {
        #expect(Scope(loose: "Wild Crops") == .wildCrops)
        #expect(Scope(loose: "wild_crops") == .wildCrops)
        #expect(Scope(loose: "HANDLING") == .handling)
        #expect(Scope(loose: "LS") == .livestock)
        #expect(Scope(loose: "fish") == nil)
    }
}
