import CertWatchCore
import Crypto
import Foundation

/// A seal on the purchase-check chain at one record, made with a key the database does not hold.
///
/// Someone who can write the database can rewrite the chain consistently (delete the newest checks,
/// move the head back); they cannot make a seal for the rewritten chain without the key. Copies
/// kept outside the database (the log, an `audit.checkpoint` webhook's receiver) let
/// `certwatch audit verify --checkpoints FILE` show what was removed or changed.
///
/// Written as one token, so a checkpoint can be found in any text that carries it:
/// `cwcp1.KIND.SEQ.HASH.SEALED_AT.MAC`: KIND is `head` (the chain's last record) or `purge`
/// (the last record a retention purge removed), SEALED_AT Unix seconds, MAC the lower-case hex
/// HMAC-SHA256 of everything before it (including the final dot) under the key.
public struct AuditCheckpoint: Sendable, Equatable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case head
        case purge
    }

    public var kind: Kind
    public var seq: Int
    public var hash: String
    public var sealedAt: Date
    public var mac: String

    static let prefix = "cwcp1"

    /// The text the MAC covers.
    var sealedText: String {
        "\(Self.prefix).\(kind.rawValue).\(seq).\(hash).\(Int64(sealedAt.timeIntervalSince1970))."
    }

    public var token: String { sealedText + mac }

    /// Seals `seq`/`hash` now under `key`.
    public static func seal(_ kind: Kind, seq: Int, hash: String, at now: Date, key: AuditSealKey) -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(kind: kind, seq: seq, hash: hash,
                                         sealedAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), mac: "")
        checkpoint.mac = key.mac(checkpoint.sealedText)
        return checkpoint
    }

    /// True when `key` made this seal.
    public func isSealed(by key: AuditSealKey) -> Bool {
        key.isMAC(mac, of: sealedText)
    }

    /// Every well-formed token in `text`, in order of appearance, whoever sealed it (check with
    /// `isSealed(by:)`). Anything else in the text (log prefixes, JSON around it) is skipped.
    public static func tokens(in text: Substring) -> [AuditCheckpoint] {
        var found: [AuditCheckpoint] = []
        var rest = text[...]
        while let start = rest.range(of: prefix + ".") {
            let candidate = rest[start.lowerBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") }
            if let checkpoint = AuditCheckpoint(token: candidate) { found.append(checkpoint) }
            rest = rest[start.upperBound...]
        }
        return found
    }

    /// Parses one token; nil unless every part is well formed.
    public init?(token: Substring) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == Self.prefix, let kind = Kind(rawValue: String(parts[1])),
              parts[2].count <= 18, parts[2].allSatisfy(\.isASCIIDigit), let seq = Int(parts[2]),
              Self.isHex64(parts[3]), parts[4].count <= 12, parts[4].allSatisfy(\.isASCIIDigit), let seconds = Int64(parts[4]),
              Self.isHex64(parts[5])
        else { return nil }
        self.init(kind: kind, seq: seq, hash: String(parts[3]), sealedAt: Date(timeIntervalSince1970: TimeInterval(seconds)),
                  mac: String(parts[5]))
    }

    init(kind: Kind, seq: Int, hash: String, sealedAt: Date, mac: String) {
        self.kind = kind
        self.seq = seq
        self.hash = hash
        self.sealedAt = sealedAt
        self.mac = mac
    }

    private static func isHex64(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// The secret checkpoints are sealed with (`audit.checkpointKey`): kept out of the database, at
/// least 32 characters.
public struct AuditSealKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    public static let minimumLength = 32

    /// Never the key itself: settings and test failures print this.
    public var description: String { "AuditSealKey(redacted)" }
    public var debugDescription: String { description }

    public init?(_ text: String) {
        guard text.utf8.count >= Self.minimumLength else { return nil }
        bytes = Array(text.utf8)
    }

    func mac(_ text: String) -> String {
        Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: bytes))).hexString
    }

    func isMAC(_ mac: String, of text: String) -> Bool {
        guard let given = mac.hexBytes else { return false }
        // HashedAuthenticationCode's == compares in constant time.
        return HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: bytes)) == Data(given)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

private extension String {
    /// The bytes of lower-case hex text; nil for anything else.
    var hexBytes: [UInt8]? {
        let digits = Array(utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x61...0x66: digit - 0x61 + 10
            default: nil
            }
        }
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
