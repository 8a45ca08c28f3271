import CertWatchCore
import CertWatchStore
import Foundation
import Logging
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
    let pollInterval: Duration
    let logger: Logger

    public init(database: Database, email: AlertFanOut.EmailRouting?, webhooks: WebhookDispatch,
                pollInterval: Duration = .seconds(1), logger: Logger) {
        self.database = database
        self.email = email
        self.webhooks = webhooks
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var busy = false
            do {
                busy = try await runOnce()
            } catch is CancellationError {
                return
            } catch {
                logger.error("delivery round failed; retrying", metadata: ["error": "\(Database.describe(error))"])
            }
            if !busy { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) } }
        }
    }

    /// One round; true when it found work, so the next round starts at once.
    public func runOnce() async throws -> Bool {
        let fannedOut = try await AlertFanOut.run(database: database, email: email)
        let sent = try await webhooks.runOnce()
        if !sent.isEmpty {
            logger.debug("delivery round", metadata: ["webhooks": "\(sent.count)"])
        }
        return fannedOut > 0 || !sent.isEmpty
    }
}
