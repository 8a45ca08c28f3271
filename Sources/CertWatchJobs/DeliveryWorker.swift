import CertWatchCore
import CertWatchStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// The delivery loop `certwatch serve` runs: fan new alerts out into the outbox, send what is
/// due by webhook and by email, and sleep a little when there was nothing to do. Stopping it
/// (SIGTERM) lets the round in flight finish; anything claimed but not finished is claimed
/// again when its lease runs out.
///
/// Reads: `delivery.leaseSeconds`, `webhooks.retryDelaysSeconds` (through its dispatchers).
public struct DeliveryWorker: Service {
    let database: Database
    let email: AlertFanOut.EmailRouting?
    let webhooks: WebhookDispatch
    let emails: EmailDispatch?
    let pollInterval: Duration
    /// The instant fan-out plans digests from; tests move it.
    let fanOutClock: @Sendable () -> Date
    let logger: Logger

    public init(database: Database, email: AlertFanOut.EmailRouting?, webhooks: WebhookDispatch, emails: EmailDispatch?,
                pollInterval: Duration = .seconds(1), fanOutClock: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.database = database
        self.email = email
        self.webhooks = webhooks
        self.emails = emails
        self.pollInterval = pollInterval
        self.fanOutClock = fanOutClock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var busy = false
            do {
                busy = try await runOnce().foundWork
            } catch is CancellationError {
                return
            } catch {
                logger.error("delivery round failed; retrying", metadata: ["error": "\(Database.describe(error))"])
            }
            if !busy { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) } }
        }
    }

    /// What one round did.
    public struct Round: Sendable, Equatable {
        public var fannedOut = 0
        public var webhooks: [DeliveryVerdict] = []
        public var emails: [DeliveryVerdict] = []

        public var foundWork: Bool { fannedOut > 0 || !webhooks.isEmpty || !emails.isEmpty }
    }

    /// One round: when it found work, the next one starts at once.
    public func runOnce() async throws -> Round {
        var round = Round()
        round.fannedOut = try await AlertFanOut.run(database: database, email: email, now: fanOutClock())
        round.webhooks = try await webhooks.runOnce()
        round.emails = try await emails?.runOnce() ?? []
        Self.count(round.webhooks, channel: "webhook")
        Self.count(round.emails, channel: "email")
        if round.foundWork {
            logger.debug("delivery round", metadata: [
                "fannedOut": "\(round.fannedOut)", "webhooks": "\(round.webhooks.count)", "emails": "\(round.emails.count)"])
        }
        return round
    }

    /// `certwatch_deliveries_total` by channel and result, for operators' dashboards.
    private static func count(_ verdicts: [DeliveryVerdict], channel: String) {
        for verdict in verdicts {
            let result = switch verdict {
            case .delivered: "delivered"
            case .retry: "retry"
            case .failed, .endpointGone: "failed"
            }
            Counter(label: "certwatch_deliveries_total", dimensions: [("channel", channel), ("result", result)]).increment()
        }
    }
}
