@testable import CertWatchCore
import Foundation
import PropertyBased
import Testing

/// Properties of the pure rules over generated inputs, where a table of examples would miss the
/// corner (issue 21: a date at the calendar's end, an anniversary of 9999-12-31 with a grace).
@Suite struct PropertyTests {
    /// Any day of any year CertWatch can hold (day 1–28, so every month has it).
    static let anyDay = zip(Gen.int(in: 1...9999), Gen.int(in: 1...12), Gen.int(in: 1...28))
        .compactMap { CalendarDate(year: $0, month: $1, day: $2) }
    static let inputDay = zip(Gen.int(in: 1900...2999), Gen.int(in: 1...12), Gen.int(in: 1...28))
        .compactMap { CalendarDate(year: $0, month: $1, day: $2) }
    static let earliest = CalendarDate(year: 1, month: 1, day: 1)!
    static let latest = CalendarDate(year: 9999, month: 12, day: 31)!

    @Test func shiftingADayNeverTrapsAndMovesTheWayAsked() async {
        await propertyCheck(count: 1_000, input: Self.anyDay, Gen.int()) { day, days in
            let shifted = day.adding(days: days)
            #expect(Self.earliest <= shifted && shifted <= Self.latest)
            #expect(days >= 0 ? shifted >= day : shifted <= day)
        }
    }

    @Test func aShiftWithinTheCalendarIsUndone() async {
        await propertyCheck(count: 1_000, input: Self.inputDay, Gen.int(in: -300_000...300_000)) { day, days in
            #expect(day.adding(days: days).adding(days: -days) == day)
        }
    }

    @Test func aDateFromOutsideIsReadBackAsWrittenAndOnlyInItsRange() async {
        await propertyCheck(count: 1_000, input: Self.anyDay) { day in
            #expect(CalendarDate(iso: day.description) == day)
            #expect((CalendarDate(input: day.description) != nil) == CalendarDate.inputRange.contains(day))
        }
    }

    /// A suspended, revoked or surrendered certificate blocks every purchase on every day, whatever
    /// its dates and the grace: no date arithmetic may trap or turn it into an allow.
    @Test func aWithdrawnCertificateAlwaysBlocks() async {
        let status = Gen.element(of: [CertificationStatus.suspended, .revoked, .surrendered]).compactMap { $0 }
        await propertyCheck(count: 500, input: status, Self.anyDay, Self.anyDay, Gen.int(in: 0...365)) { status, anniversary, day, grace in
            let certificate = Certificate(status: status, anniversaryDate: anniversary)
            let assessment = PurchasePolicy(anniversaryGraceDays: grace).certificateAssessment(certificate, on: day)
            #expect(assessment.decision == .block, "\(status) on \(day), anniversary \(anniversary), grace \(grace)")
        }
    }

    /// A certified certificate is never blocked by its dates: a lapsed anniversary sends it to review.
    @Test func aCertifiedCertificateIsNeverBlockedByItsAnniversary() async {
        await propertyCheck(count: 500, input: Self.anyDay, Self.anyDay, Gen.int(in: 0...365)) { anniversary, day, grace in
            let certificate = Certificate(status: .certified, anniversaryDate: anniversary)
            let decision = PurchasePolicy(anniversaryGraceDays: grace).certificateAssessment(certificate, on: day).decision
            #expect(decision != .block)
            #expect(decision == .allow || day > anniversary.adding(days: grace))
        }
    }

    /// What a buyer types is matched without regard to letter case or surrounding spaces.
    @Test func aListedItemMatchesItselfInAnyCase() async {
        let name = Gen.letter.string(of: 3...16)
        await propertyCheck(count: 500, input: name, Gen.int(in: 0...3)) { name, spaces in
            let matcher = ProductMatcher(items: [CertifiedItem(scope: .crops, items: [name])])
            let typed = String(repeating: " ", count: spaces) + name.uppercased() + String(repeating: " ", count: spaces)
            guard case .matched(let matches) = matcher.match(typed) else {
                Issue.record("“\(typed)” did not match the listed “\(name)”")
                return
            }
            #expect(matches.map(\.item.items) == [[name]])
        }
    }

    /// Names in ASCII are folded byte by byte; the words are Foundation's for any ASCII text.
    @Test func asciiNamesFoldAsFoundationFoldsThem() async {
        let ascii = Gen.uint8(in: 0...0x7F).array(of: 0...40).map { String(decoding: $0, as: UTF8.self) }
        await propertyCheck(count: 2_000, input: ascii) { text in
            #expect(CertificateCrossCheck.foldASCII(text) == CertificateCrossCheck.foldUnicode(text), "“\(text)”")
        }
        #expect(CertificateCrossCheck.fold("Agrícola Ñandú S.A. de C.V.") == ["agricola", "nandu", "sa", "de", "cv"], "other text as before")
    }

    /// Any text at all is a product a buyer may type: the matcher answers, it never traps.
    @Test func anyTypedProductGetsAnAnswer() async {
        // Scalars by number: the library's scalar range traps on the surrogates, which are no scalars.
        let scalar = Gen.uint32(in: 0...0x2FFFF).compactMap(Unicode.Scalar.init)
        let text = scalar.array(of: 0...40).map { String(String.UnicodeScalarView($0)) }
        let matcher = ProductMatcher(items: [CertifiedItem(scope: .crops, category: "Fruit", items: ["Avocados"], varieties: ["Hass"])])
        await propertyCheck(count: 1_000, input: text) { typed in
            switch matcher.match(typed) {
            case .matched(let matches): #expect(!matches.isEmpty)
            case .notListed(let suggestions): #expect(suggestions.count <= 3)
            }
        }
    }
}
