import Foundation
import SQLKit

/// Instants are stored as UTC ISO-8601 text with milliseconds (`2026-11-23T08:11:22.123Z`):
/// readable in both databases, sortable as text, and free of driver-specific date types.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// The instant in `column` of `row`; a text that is not one throws `CorruptRow` (never a
    /// made-up date such as `.distantPast`, which would read as "long ago" in evidence).
    static func decode(_ row: any SQLRow, _ column: String, table: String) throws -> Date {
        let text = try row.decode(column: column, as: String.self)
        guard let date = parse(text) else { throw CorruptRow(column: "\(table).\(column)", value: text) }
        return date
    }

    /// The instant in a nullable `column`: nil when NULL, `CorruptRow` when unreadable.
    static func decodeIfPresent(_ row: any SQLRow, _ column: String, table: String) throws -> Date? {
        guard let text = try row.decode(column: column, as: String?.self) else { return nil }
        guard let date = parse(text) else { throw CorruptRow(column: "\(table).\(column)", value: text) }
        return date
    }
}
