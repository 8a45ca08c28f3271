import Foundation

/// A wall-clock time such as the nightly run's "02:30", read in a named time zone.
public struct TimeOfDay: Hashable, Sendable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses `H:MM` or `HH:MM` (24-hour clock).
    public init?(_ text: String) {
        let parts = text.trimmingWhitespace().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

extension TimeOfDay {
    /// The first instant at or after `date` when clocks in `zone` show this time. A time that a
    /// daylight-saving change skips happens when the clocks jump past it; one that happens twice
    /// counts the first time.
    public func nextOccurrence(atOrAfter date: Date, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let wanted = DateComponents(hour: hour, minute: minute, second: 0)
        return calendar.nextDate(after: date.addingTimeInterval(-0.001), matching: wanted,
                                 matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward) ?? date
    }
}
