import CertWatchStore
import Hummingbird

/// The per-request context: Hummingbird's core storage plus the API key that authenticated it.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `APIKeyAuthenticator` on `/v1` routes.
    public var apiKey: APIKey?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.apiKey = nil
    }

    /// JSON bodies are small; the CSV import route reads its own, larger limit.
    public var maxUploadSize: Int { BodyLimits.json }
}

/// How much of a request body a route reads before answering 413.
public enum BodyLimits {
    public static let json = 1 << 20
    public static let importFile = 64 << 20
}
