import Foundation

/// Identifiers for stored records: UUID version 7 (RFC 9562), a millisecond timestamp first and
/// random bits after. They sort by creation time, so a bulk insert appends to the primary-key
/// index instead of writing all over it, and they reveal nothing but when a record was made.
public enum RecordID {
    public static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        for index in 6..<16 { bytes[index] = generator.next() }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        let hex = bytes.hexString
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.utf8[hex.utf8.index(hex.utf8.startIndex, offsetBy: range.lowerBound)..<hex.utf8.index(hex.utf8.startIndex, offsetBy: range.upperBound)])!
        }
        return parts.joined(separator: "-")
    }
}
