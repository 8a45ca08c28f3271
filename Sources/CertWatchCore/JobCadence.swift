import Foundation

/// One run a scheduled job owes: `key` names it uniquely (a local date for daily jobs, the start
/// instant for interval jobs), so replicas that see the same slot agree on what to insert.
public struct JobSlot: Hashable, Sendable {
    public var key: String
    public var start: Date

    public init(key: String, start: Date) {
        self.key = key
        self.start = start
    }
}

/// When a scheduled job runs: daily at a wall-clock time in a time zone, or every so many seconds.
///
/// A daily slot is keyed by its local date, so a day has exactly one slot across daylight-saving
/// changes: a time the clocks skip runs when they jump past it, a time they pass twice runs the
/// first time.
public enum JobCadence: Sendable, Equatable {
    case daily(at: TimeOfDay, zone: TimeZone)
    case every(seconds: Int)

    /// The latest slot that has started by `now`: what a replica starting late still owes (only
    /// the latest — a week of missed nights is one run, not seven).
    public func latestSlot(atOrBefore now: Date) -> JobSlot {
        switch self {
        case .every(let seconds):
            let start = (now.timeIntervalSince1970 / Double(seconds)).rounded(.down) * Double(seconds)
            return intervalSlot(Date(timeIntervalSince1970: start))
        case .daily(let at, let zone):
            let today = CalendarDate(now, in: zone)
            let slot = dailySlot(today, at: at, zone: zone)
            return slot.start <= now ? slot : dailySlot(today.adding(days: -1), at: at, zone: zone)
        }
    }

    /// The first slot that starts after `now`.
    public func nextSlot(after now: Date) -> JobSlot {
        switch self {
        case .every(let seconds):
            return intervalSlot(latestSlot(atOrBefore: now).start.addingTimeInterval(Double(seconds)))
        case .daily(let at, let zone):
            let latest = latestSlot(atOrBefore: now)
            return dailySlot((CalendarDate(iso: latest.key) ?? CalendarDate(now, in: zone)).adding(days: 1), at: at, zone: zone)
        }
    }

    private func intervalSlot(_ start: Date) -> JobSlot {
        JobSlot(key: start.formatted(Date.ISO8601FormatStyle()), start: start)
    }

    private func dailySlot(_ day: CalendarDate, at: TimeOfDay, zone: TimeZone) -> JobSlot {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let midnight = calendar.startOfDay(for: calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!)
        return JobSlot(key: day.description, start: at.nextOccurrence(atOrAfter: midnight, in: zone))
    }
}

extension JobCadence {
    /// The cadence as operators read it (`GET /v1/jobs`, the web page's jobs): "daily at 02:30 UTC".
    public var schedule: String {
        switch self {
        case .daily(let at, let zone): "daily at \(at) \(zone.identifier)"
        case .every(let seconds): "every \(seconds) s"
        }
    }
}
