/// Reads the date formats INTEGRITY's exports use, and nothing else.
///
/// The web service's JSON sends WCF dates (`/Date(1577854800000-0500)/`), its XML and the
/// workbooks send ISO (`2020-01-01T00:00:00`), and hand-made files send US dates (`1/31/2020`).
/// Anything else is an error the caller must report: a date that is guessed is evidence that lies.
public enum IntegrityDate {
    public struct Unreadable: Error, Equatable, CustomStringConvertible {
        public var text: String
        public init(text: String) { self.text = text }
        public var description: String { "\"\(text)\" is not a date INTEGRITY uses (ISO, M/D/YYYY or /Date(ms)/)" }
    }

    /// Nil for an empty field; throws for text that is not a date.
    public static func parse(_ raw: String) throws(Unreadable) -> CalendarDate? {
        let text = raw.trimmingWhitespace()
        if text.isEmpty { return nil }
        if let date = iso(text) ?? us(text) ?? wcf(text) { return date }
        throw Unreadable(text: text)
    }

    /// Midnight UTC of `day` as a WCF JSON date (`/Date(1764547200000)/`): the only form a WCF
    /// service reads a `DateTime` request member from; an ISO string gets a 400 error page.
    public static func wcfText(_ day: CalendarDate) -> String {
        "/Date(\(Int64(day.daysSinceEpoch) * 86_400_000))/"
    }

    /// `2020-01-01`, optionally followed by a time (`T00:00:00`, `T00:00:00.000Z`, ` 00:00:00`).
    private static func iso(_ text: String) -> CalendarDate? {
        guard text.count >= 10 else { return nil }
        let day = String(text.prefix(10))
        let rest = text.dropFirst(10)
        guard rest.isEmpty || rest.first == "T" || rest.first == " " else { return nil }
        return CalendarDate(iso: day)
    }

    /// `1/31/2020` or `01/31/2020`, optionally followed by a time (`1/31/2020 12:00:00 AM`).
    private static func us(_ text: String) -> CalendarDate? {
        let datePart = text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? text
        let parts = datePart.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              let month = Int(parts[0]), let day = Int(parts[1]), let year = Int(parts[2])
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// `/Date(1577854800000-0500)/`: milliseconds since 1970 UTC; the offset says which calendar day
    /// the sender meant, so the day is taken in that offset (UTC when there is none).
    private static func wcf(_ text: String) -> CalendarDate? {
        guard text.hasPrefix("/Date("), text.hasSuffix(")/") else { return nil }
        var body = Substring(text.dropFirst(6).dropLast(2))
        var offsetMinutes = 0
        if let signIndex = body.dropFirst().firstIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = body[signIndex...]
            guard offset.count == 5, let hhmm = Int(offset.dropFirst()) else { return nil }
            offsetMinutes = (hhmm / 100 * 60 + hhmm % 100) * (offset.first == "-" ? -1 : 1)
            body = body[..<signIndex]
        }
        guard let milliseconds = Int64(body) else { return nil }
        let seconds = milliseconds / 1000 + Int64(offsetMinutes) * 60
        return CalendarDate(daysSinceEpoch: Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }
}

extension CalendarDate {
    /// The day `days` after 1970-01-01 (proleptic Gregorian), without Foundation's time zones.
    public init?(daysSinceEpoch days: Int) {
        // 0001-01-01 … 9999-12-31; checked first, so the arithmetic below cannot overflow.
        guard CalendarDate.representableDays.contains(days) else { return nil }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// A day in Excel's 1900 date system, where cells store dates as serial day numbers: day 25569
    /// is 1970-01-01. A fraction (the time of day) is dropped. Nil before 1900-03-01 (day 61, where
    /// the system's leap-year bug stops shifting days) and after 9999-12-31.
    public init?(excelSerial serial: Double) {
        guard serial >= 61, serial < 2_958_466 else { return nil }
        self.init(daysSinceEpoch: Int(serial.rounded(.down)) - 25_569)
    }

    /// Days since 1970-01-01; the inverse of `init(daysSinceEpoch:)`.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
