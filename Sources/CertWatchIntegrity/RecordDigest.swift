import CertWatchCore
import Crypto

/// The SHA-256 of one operation's INTEGRITY record — its fields, then each of its items' fields,
/// in file order — built up as the records stream past. Equal digests on two nights mean
/// INTEGRITY says exactly the same about the operation, so nothing needs comparing.
struct RecordDigest {
    private var hasher = SHA256()

    /// Adds one record's fields, sorted by name, each name and value length-prefixed so no
    /// value can imitate a separator.
    mutating func add(_ kind: UInt8, _ fields: [String: String]) {
        var bytes: [UInt8] = [kind]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            for text in [name, value] {
                let utf8 = Array(text.utf8)
                withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: utf8)
            }
        }
        hasher.update(data: bytes)
    }

    func finalize() -> String { hasher.finalize().hexString }
}
