import Crypto
import Foundation

/// The secret in a one-time link (an invitation, a password reset, a certificate request): 256
/// random bits as 64 hex digits. Only its SHA-256 is stored, so the tables hand out nothing;
/// rows are found by that hash (an index comparison of digests, which tells an attacker
/// nothing about the token's characters).
enum OneTimeToken {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    /// Tokens are 64 lower-case hex digits; anything else is refused before the database.
    static func wellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
