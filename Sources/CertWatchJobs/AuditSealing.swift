import CertWatchCore
import CertWatchNotify
import CertWatchStore
import Foundation
import Logging

/// Seals the purchase-check chain: its head, each place once, and the last record a retention
/// purge removed, by that purge. Every new seal goes to the log and, as a signed `audit.checkpoint`
/// webhook, to each enabled endpoint that names that type: copies outside the database, which
/// `certwatch audit verify --checkpoints FILE` compares the chain with.
public enum AuditSealing {
    /// Seals the head unless it is sealed already; returns the new checkpoint, if any.
    @discardableResult
    public static func sealHead(database: Database, key: AuditSealKey, logger: Logger, now: Date = Date()) async throws -> [AuditCheckpoint] {
        guard let head = try await AuditCheckpointStore(database: database).head() else { return [] }
        return try await seal([AuditCheckpoint.seal(.head, seq: head.seq, hash: head.hash, at: now, key: key)],
                              database: database, logger: logger, now: now)
    }

    /// Seals the last record a purge removed (`RetentionStore.Counts.checksThrough`) and the head.
    public static func sealPurge(through: AuditCheckpointStore.Place, database: Database, key: AuditSealKey, logger: Logger,
                                 now: Date = Date()) async throws -> [AuditCheckpoint] {
        try await seal([AuditCheckpoint.seal(.purge, seq: through.seq, hash: through.hash, at: now, key: key)],
                       database: database, logger: logger, now: now)
            + sealHead(database: database, key: key, logger: logger, now: now)
    }

    private static func seal(_ checkpoints: [AuditCheckpoint], database: Database, logger: Logger, now: Date) async throws -> [AuditCheckpoint] {
        let store = AuditCheckpointStore(database: database)
        let endpoints = try await WebhookEndpointStore(database: database).list()
            .filter { $0.enabled && $0.eventTypes.contains(AlertData.Checkpoint.eventType) }
        let sealed = try await store.record(checkpoints, deliveries: { checkpoint in
            let payload = try WebhookEvent(type: AlertData.Checkpoint.eventType, timestamp: checkpoint.sealedAt,
                                           data: .checkpoint(checkpoint.data)).json()
            return endpoints.map {
                NewDelivery(alertId: nil, eventType: AlertData.Checkpoint.eventType, channel: .webhook, destination: $0.id,
                            payload: payload, due: now)
            }
        }, at: now)
        for checkpoint in sealed {
            logger.notice("audit checkpoint \(checkpoint.token)", metadata: [
                "kind": "\(checkpoint.kind.rawValue)", "seq": "\(checkpoint.seq)",
            ])
        }
        return sealed
    }
}

extension AuditCheckpoint {
    /// The seal as an `audit.checkpoint` event carries it.
    public var data: AlertData.Checkpoint {
        AlertData.Checkpoint(kind: kind.rawValue, seq: seq, hash: hash, sealedAt: sealedAt, token: token)
    }
}
