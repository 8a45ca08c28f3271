import CertWatchCore
import Crypto
import Foundation
import HummingbirdOTP

/// Two-step sign-in with an authenticator app: TOTP (RFC 6238, hummingbird-auth's
/// `HummingbirdOTP`: 6 digits, 30-second steps, SHA-1, what every authenticator app reads).
public enum TwoStepCodes {
    /// A new secret: 32 characters of the base-32 alphabet, 160 bits, as the HMAC key (the
    /// authenticator receives it base-32 encoded in the `otpauth://` URL).
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Whether `text` is a secret `newSecret` could have made (the setup form carries it back).
    public static func isSecret(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x32...0x37).contains($0) }
    }

    /// The `otpauth://` URL an authenticator app reads (as a QR code or a link).
    public static func authenticatorURL(secret: String, email: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: email, issuer: "CertWatch")
    }

    /// The secret as a person types it into an authenticator app: the URL's base-32 form.
    public static func typedSecret(_ secret: String) -> String {
        let url = authenticatorURL(secret: secret, email: "x")
        guard let components = URLComponents(string: url),
              let value = components.queryItems?.first(where: { $0.name == "secret" })?.value else { return "" }
        return value
    }

    /// The time step `code` is right for, allowing one step either side for a phone's clock;
    /// nil if it is right for none. Compared in constant time.
    public static func matchingStep(_ code: String, secret: String, at date: Date) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let totp = TOTP(secret: secret)
        let step = Int64(date.timeIntervalSince1970 / 30)
        var found: Int64?
        // HummingbirdOTP traps on a time before 1970: no such step is tried.
        for candidate in [step - 1, step, step + 1] where candidate >= 0 {
            let expected = String(format: "%06d", totp.compute(date: Date(timeIntervalSince1970: TimeInterval(candidate) * 30)))
            if ConstantTime.equal(expected, digits) { found = candidate }
        }
        return found
    }
}

/// Recovery codes: ten one-time codes shown once when two-step sign-in is turned on, for the day
/// the phone is lost. Stored as HMACs keyed by the account, so equal codes of two people differ.
public enum RecoveryCodes {
    public static let count = 10

    /// `xxxx-xxxx-xxxx` from a 32-letter alphabet without look-alikes: 60 bits each.
    public static func make() -> [String] {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return (0..<count).map { _ in
            (0..<3).map { _ in String((0..<4).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }) }
                .joined(separator: "-")
        }
    }

    /// Whether `text` looks like a recovery code rather than an authenticator's six digits.
    public static func looksLikeOne(_ text: String) -> Bool {
        normalized(text).count == 12
    }

    public static func hash(_ code: String, accountId: String) -> String {
        let key = SymmetricKey(data: Data(accountId.utf8))
        return Data(HMAC<SHA256>.authenticationCode(for: Data(normalized(code).utf8), using: key)).map { String(format: "%02x", $0) }.joined()
    }

    static func normalized(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
