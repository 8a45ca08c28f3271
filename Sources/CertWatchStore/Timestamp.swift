import Foundation

/// Instants are stored as UTC ISO-8601 text with milliseconds (`2026-11-23T08:11:22.123Z`):
/// readable in both databases, sortable as text, and free of driver-specific date types.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
