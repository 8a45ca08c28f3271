/// Where and how alert email is sent.
///
/// Reads: `smtp.url`, `smtp.from`, `smtp.username`, `smtp.password`, `smtp.starttls`, `smtp.caFile`.
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible {
    /// For `smtp://` only: `smtps://` is TLS from the first byte.
    public enum StartTLS: String, Sendable {
        case required, opportunistic, off
    }

    public var url: String
    public var from: String
    public var username: String?
    public var password: String?
    public var startTLS: StartTLS
    /// PEM file of the authorities that may sign the server's certificate (a private CA).
    public var caFile: String?
    public var timeoutSeconds: Int

    public init(url: String, from: String, username: String? = nil, password: String? = nil,
                startTLS: StartTLS = .opportunistic, caFile: String? = nil, timeoutSeconds: Int = 30) {
        self.url = url
        self.from = from
        self.username = username
        self.password = password
        self.startTLS = startTLS
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
    }

    /// What is asked of the server: with a login, `opportunistic` becomes `required`, because
    /// STARTTLS that a server (or a man in the middle) does not offer would send the password in
    /// clear. Only `off`, chosen explicitly, logs in without TLS.
    public var effectiveStartTLS: StartTLS {
        username != nil && startTLS == .opportunistic ? .required : startTLS
    }

    /// Never shows the password.
    public var description: String {
        "\(url) as \(username ?? "(no login)"), STARTTLS \(startTLS.rawValue), from \(from)"
    }
}
