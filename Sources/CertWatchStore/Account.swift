import Foundation

/// A person who signs in to the page: their own email address and password (or their company's
/// single sign-on), a role, and where they stand.
public struct Account: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable, Codable {
        /// Invited: no password yet; the invitation link sets one.
        case invited
        case active
        /// Signed out everywhere and refused until an admin enables the account again.
        case disabled
    }

    public var id: String
    /// Lower case: the address is the sign-in name and the name in the audit record.
    public var email: String
    public var name: String
    public var role: Role
    public var state: State
    /// bcrypt; nil until the person chooses a password (or for one who only signs in through SSO).
    public var passwordHash: String?
    /// The TOTP secret when two-step sign-in is on.
    public var totpSecret: String?
    /// The last TOTP time step accepted, so a code works once.
    public var totpLastStep: Int64?
    /// Sessions signed in before this are refused: set when the person signs out everywhere,
    /// is disabled or resets the password (a session deleted meanwhile cannot come back).
    public var sessionsValidFrom: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public var twoStepOn: Bool { totpSecret != nil }

    /// The address as stored and compared: trimmed, lower case.
    public static func normalized(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
