import CertWatchCore
import Foundation
import Testing

// Fixed instants here are the injected clock's, never the real one.
/// Slots of scheduled jobs, across daylight-saving changes and a month of nights.
@Suite struct JobCadenceTests {
    let chicago = TimeZone(identifier: "America/Chicago")!

    func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func aMonthOfNightsHasOneSlotPerNight() {
        let nightly = JobCadence.daily(at: TimeOfDay("02:30")!, zone: chicago)
        var slots: [JobSlot] = []
        // Every 10 minutes through March 2026, which has the spring-forward night (8 March).
        var now = instant("2026-03-01T00:00:00Z")
        while now < instant("2026-04-01T00:00:00Z") {
            let slot = nightly.latestSlot(atOrBefore: now)
            if slots.last != slot { slots.append(slot) }
            now.addTimeInterval(600)
        }
        #expect(slots.count == 32, "28 February (still the latest at 1 March 00:00 UTC) and the 31 nights of March")
        #expect(Set(slots.map(\.key)).count == slots.count)
    }

    @Test func aSkippedTimeRunsOnceWhenTheClocksJump() {
        // 2026-03-08: Chicago clocks go from 02:00 straight to 03:00; 02:30 does not exist.
        let slot = JobCadence.daily(at: TimeOfDay("02:30")!, zone: chicago).latestSlot(atOrBefore: instant("2026-03-08T12:00:00Z"))
        #expect(slot.key == "2026-03-08")
        #expect(slot.start == instant("2026-03-08T08:00:00Z"), "03:00 CDT, the first minute after the jump")
    }

    @Test func aRepeatedTimeRunsOnce() {
        // 2026-11-01: Chicago clocks pass 01:30 twice (CDT, then CST).
        let cadence = JobCadence.daily(at: TimeOfDay("01:30")!, zone: chicago)
        let first = cadence.latestSlot(atOrBefore: instant("2026-11-01T06:45:00Z"))
        let second = cadence.latestSlot(atOrBefore: instant("2026-11-01T07:45:00Z"))
        #expect(first.start == instant("2026-11-01T06:30:00Z"), "01:30 CDT")
        #expect(second == first, "the second 01:30 is the same slot")
    }

    @Test func beforeTodaysTimeTheSlotIsYesterdays() {
        let cadence = JobCadence.daily(at: TimeOfDay("02:30")!, zone: .gmt)
        #expect(cadence.latestSlot(atOrBefore: instant("2026-11-23T01:00:00Z")).key == "2026-11-22")
        #expect(cadence.nextSlot(after: instant("2026-11-23T01:00:00Z")).start == instant("2026-11-23T02:30:00Z"))
        #expect(cadence.nextSlot(after: instant("2026-11-23T02:30:00Z")).key == "2026-11-24")
    }

    @Test func intervalSlotsAreAlignedAndKeyedByStart() {
        let hourly = JobCadence.every(seconds: 3_600)
        let slot = hourly.latestSlot(atOrBefore: instant("2026-11-23T14:59:59Z"))
        #expect(slot.start == instant("2026-11-23T14:00:00Z") && slot.key == "2026-11-23T14:00:00Z")
        #expect(hourly.nextSlot(after: instant("2026-11-23T14:59:59Z")).start == instant("2026-11-23T15:00:00Z"))
    }
}
