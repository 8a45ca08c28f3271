/// The number of a NOP Import Certificate. Certificates issued in the Organic Integrity Database
/// carry an electronic number brokers describe as 21 characters, `NNN-NNNNNNNNNN-NNNNNN`; older
/// and foreign paper certificates carry free text. CertWatch keeps the electronic form one way
/// (typed with spaces, dashes of another kind or none, it is stored with hyphens), reads no
/// meaning into its groups, and keeps free text as it was typed.
public enum ImportCertificateNumber {
    /// `text` trimmed, and an electronic number in its one form.
    public static func canonical(_ text: String) -> String {
        let trimmed = text.trimmingWhitespace()
        guard let groups = digitGroups(trimmed) else { return trimmed }
        let digits = groups.joined()
        if groups.map(\.count) == [3, 10, 6] || (groups.count == 1 && digits.count == 19) {
            let scalars = Array(digits)
            return String(scalars[0..<3]) + "-" + String(scalars[3..<13]) + "-" + String(scalars[13..<19])
        }
        return trimmed
    }

    /// Whether `text`, as `canonical` makes it, is an electronic number.
    public static func isElectronic(_ text: String) -> Bool {
        let groups = canonical(text).split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [3, 10, 6] && groups.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
    }

    /// The runs of ASCII digits of a text made only of digits and separators (space, hyphen,
    /// en and em dash, non-breaking hyphen); nil for any other text.
    private static func digitGroups(_ text: String) -> [String]? {
        let separators: Set<Character> = [" ", "-", "\u{2010}", "\u{2011}", "\u{2013}", "\u{2014}"]
        guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit || separators.contains($0) }) else { return nil }
        let groups = text.split(whereSeparator: { separators.contains($0) }).map(String.init)
        return groups.isEmpty ? nil : groups
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
