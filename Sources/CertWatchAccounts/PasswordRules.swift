import Foundation

/// What a new password must be: long enough, within what bcrypt reads (72 bytes), and not one of
/// the most common passwords or the person's own address.
public struct PasswordRules: Sendable {
    public var minLength: Int

    public init(minLength: Int) {
        self.minLength = minLength
    }

    /// Why `password` is refused, in words for the person choosing it; nil if it is fine.
    public func problem(with password: String, email: String) -> String? {
        if password.count < minLength { return "Use at least \(minLength) characters." }
        if password.utf8.count > 72 { return "Use at most 72 bytes: longer passwords are cut there." }
        if password.unicodeScalars.contains(where: { $0.value == 0 }) { return "The password cannot contain a NUL character." }
        let lowered = password.lowercased().trimmingCharacters(in: .whitespaces)
        if CommonPasswords.contains(lowered) { return "That password is one of the most common. Choose another." }
        let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if lowered == email.lowercased() || (!local.isEmpty && lowered == local) {
            return "The password cannot be your email address."
        }
        return nil
    }
}

/// The 19,640 most common passwords (Django's list; `Resources/common-passwords.LICENSE`), read once.
enum CommonPasswords {
    static func contains(_ lowered: String) -> Bool { list.contains(lowered) }

    private static let list: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
    }()
}
