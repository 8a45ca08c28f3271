import CertWatchStore
import Hummingbird

/// The per-request context: Hummingbird's core storage plus the API key that authenticated it.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `APIKeyAuthenticator` on `/v1` routes.
    public var apiKey: APIKey?
    /// The client's IP address as the connection shows it (what sign-in failures are counted
    /// per); a proxy in front makes it the proxy's, so limits are then per account only in effect.
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.apiKey = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// What the activity record names as the one who acted: the API key.
    public var actor: String { "key \(apiKey?.name ?? "unknown")" }

    /// JSON bodies are small; the CSV import route reads its own, larger limit.
    public var maxUploadSize: Int { BodyLimits.json }
}

/// How much of a request body a route reads before answering 413.
public enum BodyLimits {
    public static let json = 1 << 20
    public static let importFile = 64 << 20
}
