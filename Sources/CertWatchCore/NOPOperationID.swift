/// The 10-digit NOP operation ID that INTEGRITY keys every operation by (`op_nopOpID`).
///
/// The first three digits name the certifier, the other seven are assigned by it. Suppliers are
/// linked to INTEGRITY by this ID only, so a malformed one is rejected at the edge.
public struct NOPOperationID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts exactly ten ASCII digits, ignoring surrounding white space.
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.utf8.count == 10, trimmed.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        self.rawValue = trimmed
    }

    /// The certifier's three-digit prefix.
    public var certifierPrefix: Substring { rawValue.prefix(3) }

    public var description: String { rawValue }

    /// INTEGRITY's public profile page: the evidence link a person opens to check by hand.
    public var integrityProfileURL: String { "https://organic.ams.usda.gov/integrity/CP/OPP?nopid=\(rawValue)" }

    public static func < (lhs: NOPOperationID, rhs: NOPOperationID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension String {
    /// Trims spaces, tabs and line breaks at both ends (Foundation-free). Text that starts and
    /// ends with a visible ASCII character, most of every import, is returned as it is.
    public func trimmingWhitespace() -> String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self
        }
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
