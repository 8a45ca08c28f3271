import Crypto
import Foundation

/// A Standard Webhooks signing secret: `whsec_` and the base64 of 24 random bytes. The receiver
/// keeps the whole text; the HMAC key is the decoded bytes after the prefix.
public struct WebhookSecret: Sendable, Equatable {
    public static let prefix = "whsec_"

    public let text: String
    let keyBytes: Data

    /// Accepts any `whsec_` secret with a base64 body (receivers may have made their own).
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix),
              let bytes = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))), !bytes.isEmpty else { return nil }
        self.text = text
        self.keyBytes = bytes
    }

    /// A new secret from the system's random source.
    public static func generate() -> WebhookSecret {
        let bytes = SymmetricKey(size: .init(bitCount: 192)).withUnsafeBytes { Data($0) }
        return WebhookSecret(prefix + bytes.base64EncodedString())!
    }

    var key: SymmetricKey { SymmetricKey(data: keyBytes) }
}
