/// A token bucket shared by every request made with one INTEGRITY key: USDA allows 1,000 requests
/// an hour per key and blocks a key for an hour past that, so the client waits instead.
///
/// Reads: `integrity.requestsPerHour`.
public actor RateLimiter {
    private let capacity: Double
    private let perSecond: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    public init(requestsPerHour: Int) {
        capacity = Double(max(1, requestsPerHour))
        perSecond = capacity / 3_600
        tokens = capacity
        updated = .now
    }

    /// Returns when a request may be sent; waits (cancellably) while the bucket is empty.
    public func acquire() async throws {
        while true {
            refill()
            if tokens >= 1 {
                tokens -= 1
                return
            }
            try await Task.sleep(for: .seconds((1 - tokens) / perSecond))
        }
    }

    private func refill() {
        let now = ContinuousClock.now
        let elapsed = updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(capacity, tokens + seconds * perSecond)
        updated = now
    }
}
