import Foundation

/// A day on the calendar with no time or zone, as certificates state them ("anniversary 2027-03-01").
///
/// Certificate dates are legal dates, not instants: storing them as `Date` would shift them by the
/// server's time zone. Encoded everywhere (JSON, database, CSV) as ISO `YYYY-MM-DD`, which also sorts.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil unless the day exists (no 2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; anything else is nil. Reads the UTF-8 bytes directly:
    /// bulk answers carry millions of dates.
    public init?(iso text: String) {
        guard let date = text.utf8.withContiguousStorageIfAvailable(Self.parseISO) ?? Self.parseISO(Array(text.utf8)) else { return nil }
        self = date
    }

    private static func parseISO<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> CalendarDate? where Bytes.Index == Int {
        guard bytes.count == 10, bytes[bytes.startIndex + 4] == UInt8(ascii: "-"), bytes[bytes.startIndex + 7] == UInt8(ascii: "-")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for offset in range {
                let digit = Int(bytes[bytes.startIndex + offset]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date as YYYY-MM-DD, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension CalendarDate {
    /// Days since 1970-01-01 of 0001-01-01 and 9999-12-31, the first and last days there are.
    static let representableDays = -719_162...2_932_896
    public static let earliest = CalendarDate(checked: 1, 1, 1)
    public static let latest = CalendarDate(checked: 9_999, 12, 31)

    /// A day the code itself names, known to exist.
    private init(checked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The days people and files may give CertWatch (documents, forms, query strings, imports):
    /// outside it a date is refused where it enters, naming the field, so no arithmetic on a
    /// date from outside ever runs near the end of the calendar.
    public static let inputRange = CalendarDate(checked: 1900, 1, 1)...CalendarDate(checked: 2999, 12, 31)

    /// `YYYY-MM-DD` within `inputRange`; nil otherwise.
    public init?(input text: String) {
        guard let date = CalendarDate(iso: text), Self.inputRange.contains(date) else { return nil }
        self = date
    }

    /// What a refused input date is told: "a date YYYY-MM-DD between 1900-01-01 and 2999-12-31".
    public static let inputRule = "a date YYYY-MM-DD between \(inputRange.lowerBound) and \(inputRange.upperBound)"

    /// The UTC calendar day of an instant: "today" for checks and the day a verification happened.
    /// An instant beyond the calendar (a corrupt row) is its first or last day, never a trap.
    public init(utc instant: Date) {
        let days = (instant.timeIntervalSince1970 / 86_400).rounded(.down)
        guard days.isFinite, days >= Double(Self.representableDays.lowerBound) else { self = .earliest; return }
        guard days <= Double(Self.representableDays.upperBound), let date = CalendarDate(daysSinceEpoch: Int(days)) else {
            self = .latest
            return
        }
        self = date
    }

    /// The calendar day of an instant on clocks in `zone`: the day a digest is for.
    public init(_ instant: Date, in zone: TimeZone) {
        self.init(utc: instant.addingTimeInterval(Double(zone.secondsFromGMT(for: instant))))
    }

    /// The first instant of this day in UTC.
    public var startOfDayUTC: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }

    /// `days` later (or earlier); saturates at the calendar's first and last day instead of
    /// trapping, so a far date from a file or a row can be shifted safely.
    public func adding(days: Int) -> CalendarDate {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        guard !overflow, let date = CalendarDate(daysSinceEpoch: sum) else { return days < 0 ? .earliest : .latest }
        return date
    }
}

extension Date {
    /// "2026-11-22 02:31 UTC": how messages state an instant; minutes are enough for a person.
    public var utcMinuteText: String {
        let day = CalendarDate(utc: self)
        let minutes = Int(timeIntervalSince(day.startOfDayUTC) / 60)
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(day) \(twoDigits(minutes / 60)):\(twoDigits(minutes % 60)) UTC"
    }
}
