import Crypto
import Foundation

/// The `webhook-signature` header of Standard Webhooks v1: `v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body`, one per secret, separated by spaces, so a receiver that still holds the
/// old secret during a rotation accepts the message as well as one that holds the new.
public enum WebhookSignature {
    public static func header(id: String, timestamp: Int, body: Data, secrets: [WebhookSecret]) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        return secrets.map { secret in
            "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: secret.key)).base64EncodedString()
        }.joined(separator: " ")
    }
}
