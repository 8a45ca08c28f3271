import CertWatchCore
import CertWatchNotify
import CertWatchStore
import Foundation

/// One round of webhook delivery: claim due webhooks, post them concurrently, record every
/// attempt and its verdict in one transaction.
public struct WebhookDispatch: Sendable {
    let database: Database
    let sender: WebhookSender
    let schedule: RetrySchedule
    let lease: TimeInterval
    let owner: String
    let batchSize: Int
    /// The wall clock leases, signing secrets and retry times are reckoned in.
    let clock: @Sendable () -> Date

    public init(database: Database, sender: WebhookSender, schedule: RetrySchedule, lease: TimeInterval, owner: String, batchSize: Int = 512,
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.clock = clock
        self.database = database
        self.sender = sender
        self.schedule = schedule
        self.lease = lease
        self.owner = owner
        self.batchSize = batchSize
    }

    /// Returns the verdicts of the deliveries it attempted (none when nothing was due). When a
    /// claim comes back full there is a backlog, and a second batch is claimed and sent alongside,
    /// so one batch's database round trips (claim, record) overlap the other's sends.
    public func runOnce() async throws -> [DeliveryVerdict] {
        let outbox = DeliveryStore(database: database)
        let claimed = try await outbox.claim(.webhook, owner: owner, now: clock(), lease: lease, limit: batchSize)
        guard !claimed.isEmpty else { return [] }
        guard claimed.count == batchSize else { return try await send(claimed) }
        async let second = send(outbox.claim(.webhook, owner: owner, now: clock(), lease: lease, limit: batchSize))
        let first = try await send(claimed)
        return try await first + second
    }

    private func send(_ claiming: @autoclosure @Sendable () async throws -> [Delivery]) async throws -> [DeliveryVerdict] {
        let claimed = try await claiming()
        guard !claimed.isEmpty else { return [] }
        let endpoints = Dictionary(try await WebhookEndpointStore(database: database).list().map { ($0.id, $0) },
                                   uniquingKeysWith: { first, _ in first })
        let finished = await withTaskGroup(of: DeliveryStore.Finished.self) { group in
            for delivery in claimed {
                let endpoint = endpoints[delivery.destination]
                group.addTask { await attempt(delivery, endpoint: endpoint) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        try await DeliveryStore(database: database).finish(finished, owner: owner, at: clock())
        return finished.map(\.verdict)
    }

    private func attempt(_ delivery: Delivery, endpoint: WebhookEndpoint?) async -> DeliveryStore.Finished {
        let started = clock()
        let timing = ContinuousClock.now
        let result: AttemptResult
        if let endpoint {
            let secrets = endpoint.signingSecrets(at: started).compactMap(WebhookSecret.init)
            result = await sender.send(WebhookMessage(id: delivery.messageId, body: Data(delivery.payload.utf8)),
                                       to: endpoint.url, secrets: secrets, now: started)
        } else {
            result = AttemptResult(error: "the endpoint was deleted", permanent: true)
        }
        let verdict = schedule.verdict(after: delivery.attempts + 1, result: result, now: clock())
        return DeliveryStore.Finished(delivery: delivery, result: result, verdict: verdict, attemptedAt: started,
                                      durationMs: Int((ContinuousClock.now - timing) / .milliseconds(1)))
    }
}
