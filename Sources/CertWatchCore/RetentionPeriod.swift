import Foundation

/// How long records are kept before they may be deleted: documents on file, verifications and
/// purchase checks. 7 CFR 205.103 asks for five years; `retention.years` may only lengthen it.
public struct RetentionPeriod: Sendable, Equatable {
    public static let minimumYears = 5

    public let years: Int

    /// Nil below the rule's five years.
    public init?(years: Int) {
        guard years >= Self.minimumYears else { return nil }
        self.years = years
    }

    /// The first day (UTC) a record made at `recorded` may be deleted: the same day `years` later
    /// (29 February moves to 1 March).
    public func deletableFrom(_ recorded: Date) -> CalendarDate {
        let day = CalendarDate(utc: recorded)
        return CalendarDate(year: day.year + years, month: day.month, day: day.day)
            ?? CalendarDate(year: day.year + years, month: 3, day: 1) ?? .latest
    }

    /// The latest `--before` day a purge may take on `today`: every record made before it has
    /// been kept `years`.
    public func latestPurgeDate(today: CalendarDate) -> CalendarDate {
        let earlier = CalendarDate(year: today.year - years, month: today.month, day: today.day)
            ?? CalendarDate(year: today.year - years, month: 2, day: 28) ?? .earliest
        return earlier.adding(days: 1)
    }
}
