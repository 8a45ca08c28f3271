import CertWatchCore
import Foundation
import SQLKit

/// This database's copy of the chain's checkpoints, and what there is to seal: the chain's head
/// and the last record the latest retention purge removed.
public struct AuditCheckpointStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A place in the chain: a record's seq and hash.
    public struct Place: Sendable, Equatable, Codable {
        public var seq: Int
        public var hash: String

        public init(seq: Int, hash: String) {
            self.seq = seq
            self.hash = hash
        }
    }

    /// The chain's head; nil before the first check.
    public func head() async throws -> Place? {
        try await database.withConnection { db in
            try await db.raw("SELECT seq, hash FROM audit_heads WHERE chain = 'purchase_checks'").first()
                .map { Place(seq: try $0.decode(column: "seq", as: Int.self), hash: try $0.decode(column: "hash", as: String.self)) }
                .flatMap { $0.seq > 0 ? $0 : nil }
        }
    }

    /// The last record the latest retention purge removed, as the database records it; nil before
    /// the first purge that removed a check. Never sealed from here: only the purge that made it
    /// seals it, so a purge record written by hand stays unsealed.
    public func latestPurge() async throws -> Place? {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT checks_through_seq, checks_through_hash FROM retention_purges WHERE checks_through_seq IS NOT NULL
                ORDER BY checks_through_seq DESC LIMIT 1
                """).first()
                .map { Place(seq: try $0.decode(column: "checks_through_seq", as: Int.self),
                             hash: try $0.decode(column: "checks_through_hash", as: String.self)) }
        }
    }

    /// Keeps the checkpoints not kept before, with the deliveries each needs, in one transaction;
    /// returns the ones kept now (another replica may have sealed the same place first).
    public func record(_ checkpoints: [AuditCheckpoint], deliveries: (AuditCheckpoint) throws -> [NewDelivery],
                       at now: Date) async throws -> [AuditCheckpoint] {
        try await database.transaction { db in
            var kept: [AuditCheckpoint] = []
            for checkpoint in checkpoints {
                let inserted = try await db.insert(into: "audit_checkpoints")
                    .columns("kind", "seq", "hash", "sealed_at", "mac")
                    .values(checkpoint.kind.rawValue, checkpoint.seq, checkpoint.hash, Timestamp.format(checkpoint.sealedAt), checkpoint.mac)
                    .ignoringConflicts(with: ["kind", "seq"]).returning("seq").all()
                guard !inserted.isEmpty else { continue }
                kept.append(checkpoint)
                try await DeliveryStore.insert(try deliveries(checkpoint), at: now, on: db)
            }
            return kept
        }
    }

    /// Every checkpoint this database holds, oldest record first.
    public func all() async throws -> [AuditCheckpoint] {
        try await database.withConnection { db in
            try await db.select().columns("kind", "seq", "hash", "sealed_at", "mac").from("audit_checkpoints")
                .orderBy("seq").orderBy("kind").all().map { row in
                    let kind = try row.decode(column: "kind", as: String.self)
                    return AuditCheckpoint(
                        kind: try AuditCheckpoint.Kind(rawValue: kind) ?? { throw CorruptRow(column: "audit_checkpoints.kind", value: kind) }(),
                        seq: try row.decode(column: "seq", as: Int.self), hash: try row.decode(column: "hash", as: String.self),
                        sealedAt: try Timestamp.decode(row, "sealed_at", table: "audit_checkpoints"),
                        mac: try row.decode(column: "mac", as: String.self))
                }
        }
    }
}
