import Foundation

/// What one delivery attempt got back: an HTTP status (webhooks), an SMTP failure, or no answer.
public struct AttemptResult: Sendable, Equatable {
    public var status: Int?
    /// `Retry-After` as sent (seconds or an HTTP date).
    public var retryAfter: String?
    public var error: String?
    /// True when retrying cannot help (an SMTP 5xx, an address the policy refuses).
    public var permanent: Bool

    public init(status: Int? = nil, retryAfter: String? = nil, error: String? = nil, permanent: Bool = false) {
        self.status = status
        self.retryAfter = retryAfter
        self.error = error
        self.permanent = permanent
    }

    public var succeeded: Bool { error == nil && (status.map { (200..<300).contains($0) } ?? true) }
}

/// What happens to a delivery after an attempt.
public enum DeliveryVerdict: Sendable, Equatable {
    case delivered
    case retry(at: Date)
    /// Given up: the reason is kept with the delivery.
    case failed(String)
    /// The endpoint answered 410 Gone: it is disabled and the delivery fails.
    case endpointGone
}

/// When to try again: after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (±10% jitter so
/// a burst of failures does not come back as a burst), then give up. `429` and `503` wait for
/// their `Retry-After` instead.
///
/// Reads: `webhooks.retryDelaysSeconds` for webhooks, `email.retryDelaysSeconds` for emails (the
/// delays; tests shorten them).
public struct RetrySchedule: Sendable, Equatable {
    public static let standardDelays: [Double] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]
    /// The longest `Retry-After` honoured; a longer one waits this long.
    public static let maxRetryAfter: Double = 36_000

    public var delays: [Double]
    public var jitter: Double

    public init(delays: [Double] = standardDelays, jitter: Double = 0.1) {
        self.delays = delays
        self.jitter = jitter
    }

    /// The verdict after attempt number `attempt` (1 for the first) got `result`.
    public func verdict(
        after attempt: Int, result: AttemptResult, now: Date,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> DeliveryVerdict {
        if result.succeeded { return .delivered }
        if result.status == 410 { return .endpointGone }
        let reason = result.error ?? "HTTP \(result.status ?? 0)"
        if result.permanent { return .failed(reason) }
        guard attempt <= delays.count else { return .failed("\(reason) after \(attempt) attempts") }
        if let status = result.status, status == 429 || status == 503,
           let wait = result.retryAfter.flatMap({ Self.seconds(retryAfter: $0, now: now) }) {
            return .retry(at: now.addingTimeInterval(min(max(wait, 1), Self.maxRetryAfter)))
        }
        let delay = delays[attempt - 1]
        return .retry(at: now.addingTimeInterval(delay * (1 + random(-jitter...jitter))))
    }

    /// `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
    static func seconds(retryAfter: String, now: Date) -> Double? {
        let text = retryAfter.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text), seconds >= 0 { return Double(seconds) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return format.date(from: text).map { max(0, $0.timeIntervalSince(now)) }
    }
}
