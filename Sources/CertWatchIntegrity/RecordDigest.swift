import CertWatchCore
import Crypto

/// The SHA-256 of one operation's INTEGRITY record — its fields, then each of its items' fields,
/// in document order — built up as the records stream past. Equal digests on two nights mean
/// INTEGRITY says exactly the same about the operation, so nothing needs comparing. (Should the
/// export reorder its fields, every digest changes once and that night compares in full.)
struct RecordDigest {
    private var hasher = SHA256()

    /// Appends one field, name and value each length-prefixed so no value can imitate a separator.
    /// Called for every field of every registered record: no temporary arrays.
    static func append(field name: String, value: String, to bytes: inout [UInt8]) {
        appendPrefixed(name, to: &bytes)
        appendPrefixed(value, to: &bytes)
    }

    private static func appendPrefixed(_ text: String, to bytes: inout [UInt8]) {
        let count = UInt32(text.utf8.count)
        bytes.append(UInt8(count >> 24))
        bytes.append(UInt8(count >> 16 & 0xff))
        bytes.append(UInt8(count >> 8 & 0xff))
        bytes.append(UInt8(count & 0xff))
        bytes.append(contentsOf: text.utf8)
    }

    /// Adds one record, its kind (`O` operation, `I` item) first.
    mutating func add(_ kind: UInt8, _ fields: [UInt8]) {
        withUnsafeBytes(of: kind) { hasher.update(bufferPointer: $0) }
        fields.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    func finalize() -> String { hasher.finalize().hexString }
}
