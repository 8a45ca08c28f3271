import CertWatchIntegrity
import Foundation

/// What the web page needs to know from the configuration.
public struct WebSettings: Sendable {
    /// A session unused this long ends (`web.sessionIdleMinutes`).
    public var sessionIdle: Duration
    /// A session ends this long after sign-in, however much it is used (`web.sessionMaxHours`).
    public var sessionLifetime: Duration
    /// Whether the session cookie is `Secure` on every response: the page is served over https
    /// (`http.publicUrl`). Requests that arrive over TLS through a proxy get it anyway.
    public var alwaysSecureCookies: Bool
    /// Dates and times on the page are shown in this zone; "today" is its day.
    public var timeZone: TimeZone
    /// How old a successful verification may be before the gate answers review.
    public var maxVerificationAgeDays: Int
    /// `web.keySignIn`.
    public var keySignIn: KeySignIn
    /// `http.trustedProxies`: addresses of the proxies in front, whose `X-Forwarded-For` names
    /// the client (sign-in limits count per client address).
    public var trustedProxies: Set<String>
    /// `imports.*`: how far an uploaded fraud list (an xlsx is a zip) may inflate.
    public var importLimits: ZipLimits

    public init(sessionIdle: Duration = .seconds(3_600), sessionLifetime: Duration = .seconds(12 * 3_600),
                alwaysSecureCookies: Bool = false, timeZone: TimeZone = .gmt, maxVerificationAgeDays: Int = 7, keySignIn: KeySignIn = .auto,
                trustedProxies: Set<String> = [], importLimits: ZipLimits = .standard) {
        self.importLimits = importLimits
        self.keySignIn = keySignIn
        self.trustedProxies = trustedProxies
        self.sessionIdle = sessionIdle
        self.sessionLifetime = sessionLifetime
        self.alwaysSecureCookies = alwaysSecureCookies
        self.timeZone = timeZone
        self.maxVerificationAgeDays = maxVerificationAgeDays
    }
}

/// `web.keySignIn`: whether the page offers signing in with an API key. Accounts replace it for
/// people; keys stay for systems.
public enum KeySignIn: String, Sendable, Equatable {
    /// Offered only while no account is active (a new installation, before its first admin).
    case auto
    case on
    case off
}
