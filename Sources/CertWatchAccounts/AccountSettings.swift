import Foundation

/// What the configuration says about people's accounts (`auth.*`).
public struct AccountSettings: Sendable, Equatable {
    /// `auth.bcryptCost`: bcrypt's work factor, 4–31 (each step doubles the time).
    public var bcryptCost: Int
    /// `auth.invitationHours`: how long an invitation link works.
    public var invitationLifetime: Duration
    /// `auth.resetMinutes`: how long a password-reset link works.
    public var resetLifetime: Duration
    /// `auth.minPasswordLength`.
    public var minPasswordLength: Int
    /// `auth.maxFailuresPerAccount`, `auth.maxFailuresPerAddress`: failed sign-ins a window allows.
    public var maxFailuresPerAccount: Int
    public var maxFailuresPerAddress: Int
    /// `auth.lockoutMinutes`: the window the failures are counted in, and how long a sign-in that
    /// used it up is refused at most.
    public var lockoutWindow: Duration
    /// `auth.oidc.*`: single sign-on, when configured.
    public var singleSignOn: SingleSignOnSettings?

    public init(bcryptCost: Int = 12, invitationLifetime: Duration = .seconds(72 * 3_600), resetLifetime: Duration = .seconds(3_600),
                minPasswordLength: Int = 10, maxFailuresPerAccount: Int = 5, maxFailuresPerAddress: Int = 20,
                lockoutWindow: Duration = .seconds(15 * 60), singleSignOn: SingleSignOnSettings? = nil) {
        self.bcryptCost = bcryptCost
        self.invitationLifetime = invitationLifetime
        self.resetLifetime = resetLifetime
        self.minPasswordLength = minPasswordLength
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.lockoutWindow = lockoutWindow
        self.singleSignOn = singleSignOn
    }
}

/// `auth.oidc.*`: the company's OpenID Connect provider.
public struct SingleSignOnSettings: Sendable, Equatable {
    /// `auth.oidc.issuer`: the provider's issuer URL; its discovery document is read from
    /// `ISSUER/.well-known/openid-configuration`.
    public var issuer: String
    public var clientId: String
    public var clientSecret: String
    /// `auth.oidc.allowedDomains`: email domains whose people may sign in without an account
    /// when `createAccounts` is on (as purchasers).
    public var allowedDomains: [String]
    /// `auth.oidc.createAccounts`: create a purchaser account for a verified address in an
    /// allowed domain on its first sign-in.
    public var createAccounts: Bool

    public init(issuer: String, clientId: String, clientSecret: String, allowedDomains: [String] = [], createAccounts: Bool = false) {
        self.issuer = issuer
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.allowedDomains = allowedDomains.map { $0.lowercased() }
        self.createAccounts = createAccounts
    }
}
