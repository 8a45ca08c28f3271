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

    /// The fields `append` wrote, read back: a record can wait as these bytes until it is needed.
    static func fields(in bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var offset = 0
        while let name = prefixed(in: bytes, at: &offset), let value = prefixed(in: bytes, at: &offset) {
            fields[name] = value
        }
        return fields
    }

    /// One field's value from such bytes, without reading the others.
    static func value(of wanted: String, in bytes: [UInt8]) -> String? {
        var offset = 0
        while let name = prefixed(in: bytes, at: &offset) {
            let value = prefixed(in: bytes, at: &offset)
            if name == wanted { return value }
        }
        return nil
    }

    private static func prefixed(in bytes: [UInt8], at offset: inout Int) -> String? {
        guard offset + 4 <= bytes.count else { return nil }
        let count = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        guard offset + 4 + count <= bytes.count else { return nil }
        defer { offset += 4 + count }
        return String(decoding: bytes[offset + 4..<offset + 4 + count], as: UTF8.self)
    }

    /// Adds one record, its kind (`O` operation, `I` item) first.
    mutating func add(_ kind: UInt8, _ fields: [UInt8]) {
        withUnsafeBytes(of: kind) { hasher.update(bufferPointer: $0) }
        fields.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    func finalize() -> String { hasher.finalize().hexString }
}
