import Foundation

/// What a certificate's text states, as far as it can be read without guessing: NOP operation
/// IDs, dates by their label, and the products listed under a products heading. Names and
/// certifiers are not extracted (layouts differ too much); they are looked for instead
/// (`CertificateCrossCheck`).
public struct CertificateText: Sendable, Equatable {
    public var text: String
    /// 10-digit numbers, those labelled "NOP ID" / "Operation ID" first.
    public var nopOperationIds: [String]
    public var anniversaryDate: CalendarDate?
    public var effectiveDate: CalendarDate?
    public var issueDate: CalendarDate?
    public var products: [String]

    public init(_ text: String) {
        self.text = text
        let labelled = text.matches(of: /(?i)(?:NOP\s*(?:Operation\s*)?ID|Operation\s*ID)\s*(?:No\.?|Number|#)?\s*[:#]?\s*([0-9]{10})\b/).map { String($0.output.1) }
        // Runs of exactly ten digits (a longer number is not a NOP ID).
        let any = text.matches(of: /[0-9]+/).map { String($0.output) }.filter { $0.count == 10 }
        var seen: Set<String> = []
        nopOperationIds = (labelled + any).filter { seen.insert($0).inserted }
        anniversaryDate = Self.date(after: /(?i)anniversary\s*date/, in: text)
        effectiveDate = Self.date(after: /(?i)effective\s*date/, in: text)
        issueDate = Self.date(after: /(?i)(?:issue|issued)\s*(?:date|on)?/, in: text)
        products = Self.products(in: text)
    }

    /// The first date within a line's reach after `label`.
    static func date(after label: some RegexComponent, in text: String) -> CalendarDate? {
        guard let match = text.firstMatch(of: label) else { return nil }
        return firstDate(in: String(text[match.range.upperBound...].prefix(60)))
    }

    /// ISO (2027-04-30), US (04/30/2027) or written (April 30, 2027).
    public static func firstDate(in text: String) -> CalendarDate? {
        // Digits are ASCII digits: `\d` would also take Arabic-Indic ones ("٢٠٢٦"), which `Int` does not read.
        var found: [(String.Index, CalendarDate)] = []
        if let m = text.firstMatch(of: /([0-9]{4})-([0-9]{2})-([0-9]{2})/),
           let d = Self.day(m.output.1, m.output.2, m.output.3) { found.append((m.range.lowerBound, d)) }
        if let m = text.firstMatch(of: /([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})/),
           let d = Self.day(m.output.3, m.output.1, m.output.2) { found.append((m.range.lowerBound, d)) }
        if let m = text.firstMatch(of: /(?i)(January|February|March|April|May|June|July|August|September|October|November|December)\s+([0-9]{1,2}),?\s+([0-9]{4})/),
           let month = months.firstIndex(of: m.output.1.lowercased()),
           let d = Self.day(m.output.3, Substring(String(month + 1)), m.output.2) { found.append((m.range.lowerBound, d)) }
        return found.min { $0.0 < $1.0 }?.1
    }

    /// The day the three numbers name, if it exists and lies in `CalendarDate.inputRange`.
    private static func day(_ year: Substring, _ month: Substring, _ day: Substring) -> CalendarDate? {
        guard let y = Int(year), let m = Int(month), let d = Int(day), let date = CalendarDate(year: y, month: m, day: d),
              CalendarDate.inputRange.contains(date) else { return nil }
        return date
    }

    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]

    /// The entries after a "Products" heading, one per line or separated by commas or
    /// semicolons, up to a blank line.
    static func products(in text: String) -> [String] {
        let lines = text.components(separatedBy: .newlines)
        guard let start = lines.firstIndex(where: { $0.range(of: #"^\s*(certified\s+)?products(\s+certified)?\s*:?"#, options: [.regularExpression, .caseInsensitive]) != nil })
        else { return [] }
        var entries: [String] = []
        let heading = lines[start]
        if let colon = heading.firstIndex(of: ":") { entries.append(String(heading[heading.index(after: colon)...])) }
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { if entries.contains(where: { !$0.isEmpty }) { break } else { continue } }
            entries.append(line)
        }
        return entries.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == ";" }) }
            .map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "•-*·"))) }
            .filter { !$0.isEmpty }
    }
}
