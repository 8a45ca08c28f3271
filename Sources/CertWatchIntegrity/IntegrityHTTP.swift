import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// INTEGRITY over HTTP as a good client: every request waits for the shared rate limit, has a
/// timeout, and is retried with exponential backoff and jitter on timeouts, 5xx and 429
/// (honouring Retry-After). A rejected key (403) is one clear error, never retried.
///
/// Reads: `integrity.apiKey` (added as `api_key` to whatever URL is asked, never logged or stored).
public struct IntegrityHTTP: Sendable {
    public struct Retry: Sendable {
        public var attempts: Int
        public var baseDelay: Duration
        public var maxDelay: Duration

        public init(attempts: Int = 5, baseDelay: Duration = .seconds(2), maxDelay: Duration = .seconds(120)) {
            self.attempts = attempts
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }

        /// The wait before attempt `n + 1`: doubling from `baseDelay`, with ±50% jitter, capped.
        func delay(after attempt: Int) -> Duration {
            let doubled = baseDelay * (1 << min(attempt, 20))
            let capped = min(doubled, maxDelay)
            return capped * Double.random(in: 0.5...1.5)
        }
    }

    let apiKey: String?
    let client: HTTPClient
    let limiter: RateLimiter
    let retry: Retry
    let timeout: TimeAmount
    let logger: Logger

    public init(
        apiKey: String?, client: HTTPClient = IntegrityHTTP.client, limiter: RateLimiter,
        retry: Retry = Retry(), timeout: TimeAmount = .seconds(120), logger: Logger
    ) {
        self.apiKey = apiKey
        self.client = client
        self.limiter = limiter
        self.retry = retry
        self.timeout = timeout
        self.logger = logger
    }

    /// Sends a request to `url` (as configured: what evidence and logs show; the key is added
    /// here only) and hands the successful response to `body`; retries what is worth retrying.
    func send<T>(
        _ method: HTTPMethod, _ url: String, json: [UInt8]? = nil,
        _ body: (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        let keyed = IntegrityEndpoints.keyed(url, apiKey: apiKey)
        var attempt = 0
        while true {
            try await limiter.acquire()
            var request = HTTPClientRequest(url: keyed)
            request.method = method
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: json))
            }
            let failure: String
            var wait: Duration?
            do {
                let response: HTTPClientResponse
                do {
                    response = try await client.execute(request, timeout: timeout)
                } catch let error as HTTPClientError {
                    throw error
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // Refused, unreachable, reset before an answer: what "INTEGRITY is down" looks like.
                    throw Unreachable(description: "cannot reach INTEGRITY: \(error)")
                }
                switch response.status.code {
                case 200..<300:
                    return try await body(response)
                case 401, 403:
                    throw IntegrityKeyRejected(status: Int(response.status.code))
                case 429, 500..<600:
                    failure = "HTTP \(response.status.code)"
                    wait = response.headers.first(name: "Retry-After").flatMap(Int.init).map { .seconds($0) }
                default:
                    // A 400 from a WCF service is an HTML "Request Error" page: say what it says.
                    let page = try? await response.body.collect(upTo: 1 << 20)
                    let said = page.flatMap { HTMLPage.summary(Array(buffer: $0)) }.map { ": an HTML page \($0)" } ?? ""
                    throw IntegrityHTTPFailure(url: url, message: "HTTP \(response.status.code)\(said)", status: Int(response.status.code))
                }
            } catch let error as HTTPClientError where Self.isTransient(error) {
                failure = "\(error)"
            } catch let error as Unreachable {
                failure = error.description
            }
            attempt += 1
            guard attempt < retry.attempts else {
                throw IntegrityHTTPFailure(url: url, message: "\(failure) after \(attempt) attempts")
            }
            let delay = wait ?? retry.delay(after: attempt - 1)
            logger.warning("INTEGRITY request failed; retrying", metadata: [
                "url": "\(url)", "failure": "\(failure)", "attempt": "\(attempt)", "retryIn": "\(delay)",
            ])
            try await Task.sleep(for: delay)
        }
    }

    /// A connection that could not be made. Retried by this loop, not by the client's own
    /// connection retries, which would try again until the request's deadline (minutes).
    struct Unreachable: Error, CustomStringConvertible { var description: String }

    /// The client INTEGRITY requests go through: `HTTPClient.shared`'s settings, but a failed
    /// connection fails the attempt at once (then this type's backoff decides), so an INTEGRITY
    /// that is down costs seconds, not the request timeout per attempt.
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    static func isTransient(_ error: HTTPClientError) -> Bool {
        [.deadlineExceeded, .connectTimeout, .remoteConnectionClosed, .readTimeout, .writeTimeout].contains(error)
    }
}

/// INTEGRITY refused the API key: nothing will work until an operator fixes `integrity.apiKey`.
public struct IntegrityKeyRejected: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var description: String {
        "INTEGRITY rejected the API key (HTTP \(status)): check integrity.apiKey (INTEGRITY_API_KEY); an over-limit key is blocked for an hour"
    }
}

public struct IntegrityHTTPFailure: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var message: String
    /// The HTTP status of a refused request, when one answered.
    public var status: Int?

    public init(url: String, message: String, status: Int? = nil) {
        self.url = url
        self.message = message
        self.status = status
    }

    public var description: String { "\(url): \(message)" }
}
