import CertWatchCore
import Foundation
import SQLKit

/// The outbox. Alerts are fanned out into deliveries once (the unique key makes a second fan-out
/// add nothing); a worker claims due deliveries with a lease, so replicas never send the same
/// delivery at once and one that was killed mid-send leaves it to be claimed again when its lease
/// runs out. Every state change is one committed transaction: `kill -9` loses nothing.
public struct DeliveryStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Alerts not yet fanned out, oldest first.
    public func unfannedAlerts(limit: Int) async throws -> [Alert] {
        try await database.withConnection { db in
            try await db.select().column("*").from("alerts").where(SQLIdentifier("fanned_out_at"), .is, SQLLiteral.null)
                .orderBy("id").limit(limit).all().map(AlertStore.alert)
        }
    }

    /// Adds `deliveries` and marks `alertIds` fanned out, in one transaction. Returns the ids of
    /// the deliveries that were new.
    @discardableResult
    public func enqueue(_ deliveries: [NewDelivery], fanningOut alertIds: [String] = [], at now: Date = Date()) async throws -> [String] {
        try await database.transaction { db in
            let inserted = try await Self.insert(deliveries, at: now, on: db)
            for chunk in alertIds.chunked(SupplierWriter.rowsPerStatement) {
                try await db.update("alerts").set("fanned_out_at", to: Timestamp.format(now))
                    .where("id", .in, chunk).run()
            }
            return inserted
        }
    }

    /// The insert itself, for callers that must commit deliveries with what they deliver.
    @discardableResult
    static func insert(_ deliveries: [NewDelivery], at now: Date, on db: any SQLDatabase) async throws -> [String] {
        var inserted: [String] = []
        for chunk in deliveries.chunked(SupplierWriter.rowsPerStatement) {
            var insert = db.insert(into: "deliveries").columns(
                "id", "alert_id", "event_type", "channel", "destination", "message_id", "payload", "status", "attempts",
                "next_attempt_at", "created_at")
            for delivery in chunk {
                let id = RecordID.make(at: now)
                insert = insert.values(id, delivery.alertId, delivery.eventType, delivery.channel.rawValue, delivery.destination,
                                       "msg_" + id.replacingOccurrences(of: "-", with: ""), delivery.payload,
                                       DeliveryStatus.pending.rawValue, 0, Timestamp.format(delivery.due), Timestamp.format(now))
            }
            inserted += try await insert.ignoringConflicts(with: ["alert_id", "channel", "destination"]).returning("id").all()
                .map { try $0.decode(column: "id", as: String.self) }
        }
        return inserted
    }

    /// Leases up to `limit` due deliveries of `channel` to `owner` until `now + lease`. Webhooks to
    /// a disabled endpoint wait (re-enabling it sends them). PostgreSQL skips rows another replica
    /// is claiming; SQLite runs the one statement alone.
    public func claim(_ channel: DeliveryChannel, owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Delivery] {
        let skipLocked: SQLQueryString = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let nowText = Timestamp.format(now)
        return try await database.withConnection { db in
            try await db.raw("""
                UPDATE deliveries SET lease_owner = \(bind: owner), lease_expires_at = \(bind: Timestamp.format(now.addingTimeInterval(lease)))
                WHERE id IN (SELECT id FROM deliveries
                    WHERE channel = \(bind: channel.rawValue) AND status = 'pending' AND next_attempt_at <= \(bind: nowText)
                    AND (lease_expires_at IS NULL OR lease_expires_at <= \(bind: nowText))
                    AND (channel <> 'webhook' OR destination IN (SELECT id FROM webhook_endpoints WHERE enabled = 1))
                    ORDER BY next_attempt_at LIMIT \(literal: limit)\(skipLocked))
                RETURNING *
                """).all().map(Delivery.from).sorted { $0.nextAttemptAt < $1.nextAttemptAt }
        }
    }

    /// The outcome of one attempt at a claimed delivery.
    public struct Finished: Sendable {
        public var delivery: Delivery
        public var result: AttemptResult
        public var verdict: DeliveryVerdict
        public var attemptedAt: Date
        public var durationMs: Int

        public init(delivery: Delivery, result: AttemptResult, verdict: DeliveryVerdict, attemptedAt: Date, durationMs: Int) {
            self.delivery = delivery
            self.result = result
            self.verdict = verdict
            self.attemptedAt = attemptedAt
            self.durationMs = durationMs
        }
    }

    /// Records attempts and their verdicts in one transaction. A delivery whose lease `owner` no
    /// longer holds (it ran out and another worker claimed it) is left to that worker. Returns
    /// how many were recorded.
    @discardableResult
    public func finish(_ finished: [Finished], owner: String, at now: Date = Date()) async throws -> Int {
        guard !finished.isEmpty else { return 0 }
        return try await database.transaction { db in
            var recorded = 0
            for chunk in finished.chunked(SupplierWriter.rowsPerStatement / 2) {
                var rows: [SQLQueryString] = []
                for item in chunk {
                    let outcome = Outcome(item, now: now)
                    if item.verdict == .endpointGone {
                        try await WebhookEndpointStore.disable(item.delivery.destination, reason: "answered 410 Gone at \(Timestamp.format(now))",
                                                               at: now, on: db)
                    }
                    rows.append("(\(bind: item.delivery.id), \(bind: outcome.status.rawValue), \(bind: Timestamp.format(outcome.next)), \(bind: item.result.status ?? -1), \(bind: outcome.error ?? ""), \(bind: outcome.deliveredAt ?? ""))")
                }
                // One statement per chunk: on PostgreSQL a statement per delivery would cost a
                // round trip each. -1 and "" stand for NULL so every VALUES column has one type.
                let updated = try await db.raw("""
                    WITH v (id, status, next_attempt_at, last_status, last_error, delivered_at) AS (VALUES \(rows.joined(separator: ", ")))
                    UPDATE deliveries SET status = v.status, attempts = deliveries.attempts + 1, next_attempt_at = v.next_attempt_at,
                        lease_owner = NULL, lease_expires_at = NULL,
                        last_status = NULLIF(v.last_status, -1), last_error = NULLIF(v.last_error, ''),
                        delivered_at = NULLIF(v.delivered_at, '')
                    FROM v WHERE deliveries.id = v.id AND deliveries.lease_owner = \(bind: owner)
                    RETURNING deliveries.id
                    """).all().map { try $0.decode(column: "id", as: String.self) }
                let mine = Set(updated)
                let attempts = chunk.filter { mine.contains($0.delivery.id) }
                recorded += attempts.count
                guard !attempts.isEmpty else { continue }
                var insert = db.insert(into: "delivery_attempts").columns("id", "delivery_id", "attempted_at", "status", "error", "duration_ms")
                for item in attempts {
                    insert = insert.values(RecordID.make(at: item.attemptedAt), item.delivery.id, Timestamp.format(item.attemptedAt),
                                           item.result.status, item.result.error, item.durationMs)
                }
                try await insert.run()
            }
            return recorded
        }
    }

    /// What a verdict writes to the delivery.
    private struct Outcome {
        var status = DeliveryStatus.pending
        var next: Date
        var error: String?
        var deliveredAt: String?

        init(_ item: Finished, now: Date) {
            next = item.delivery.nextAttemptAt
            error = item.result.error
            switch item.verdict {
            case .delivered:
                status = .delivered
                deliveredAt = Timestamp.format(item.attemptedAt)
            case .retry(let at): next = at
            case .failed(let reason):
                status = .failed
                error = reason
            case .endpointGone:
                status = .failed
                error = "the endpoint answered 410 Gone and was disabled"
            }
        }
    }

    /// Sends a delivery again from the start of the retry schedule, with the same `webhook-id`.
    public func redeliver(_ id: String, at now: Date = Date()) async throws -> Delivery? {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = \(bind: Timestamp.format(now)),
                    lease_owner = NULL, lease_expires_at = NULL
                WHERE id = \(bind: id) RETURNING *
                """).first().map(Delivery.from)
        }
    }

    public func get(_ id: String) async throws -> (delivery: Delivery, attempts: [DeliveryAttempt])? {
        try await database.withConnection { db in
            guard let delivery = try await db.select().column("*").from("deliveries").where("id", .equal, id).first()
                .map(Delivery.from) else { return nil }
            let attempts = try await db.select().column("*").from("delivery_attempts").where("delivery_id", .equal, id)
                .orderBy("attempted_at").all().map { row in
                    DeliveryAttempt(
                        attemptedAt: try Timestamp.decode(row, "attempted_at", table: "delivery_attempts"),
                        status: try row.decode(column: "status", as: Int?.self),
                        error: try row.decode(column: "error", as: String?.self),
                        durationMs: try row.decode(column: "duration_ms", as: Int.self))
                }
            return (delivery, attempts)
        }
    }

    /// Which deliveries a log shows, newest first.
    public struct Query: Sendable, Equatable {
        public var channel: DeliveryChannel?
        public var destination: String?
        public var status: DeliveryStatus?
        public var limit: Int
        public var cursor: String?

        public static let maxLimit = 500

        public init(channel: DeliveryChannel? = nil, destination: String? = nil, status: DeliveryStatus? = nil,
                    limit: Int = 50, cursor: String? = nil) {
            self.channel = channel
            self.destination = destination
            self.status = status
            self.limit = limit
            self.cursor = cursor
        }
    }

    public func list(_ query: Query) async throws -> (items: [Delivery], nextCursor: String?) {
        try await database.withConnection { db in
            var select = db.select().column("*").from("deliveries")
            if let channel = query.channel { select = select.where("channel", .equal, channel.rawValue) }
            if let destination = query.destination { select = select.where("destination", .equal, destination) }
            if let status = query.status { select = select.where("status", .equal, status.rawValue) }
            if let cursor = query.cursor { select = select.where("id", .lessThan, cursor) }
            let rows = try await select.orderBy("id", .descending).limit(query.limit + 1).all()
            let items = try rows.prefix(query.limit).map(Delivery.from)
            return (items, rows.count > query.limit ? items.last?.id : nil)
        }
    }
}

extension DeliveryStore {
    /// When deliveries were last attempted and when the next is due, for operators: `digest`
    /// picks the daily digest (expiry alerts by email), otherwise every other delivery.
    public func activity(digest: Bool) async throws -> (last: Date?, next: Date?) {
        let isDigest: SQLQueryString = "(d.channel = 'email' AND d.event_type IN ('certificate.expiring', 'certificate.expired'))"
        let filter: SQLQueryString = digest ? isDigest : "NOT \(isDigest)"
        return try await database.withConnection { db in
            let row = try await db.raw("""
                SELECT (SELECT MAX(a.attempted_at) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE \(filter)) AS last_at,
                       (SELECT MIN(d.next_attempt_at) FROM deliveries d WHERE d.status = 'pending' AND \(filter)) AS next_at
                """).first()
            guard let row else { return (nil, nil) }
            return (try Timestamp.decodeIfPresent(row, "last_at", table: "delivery_attempts"),
                    try Timestamp.decodeIfPresent(row, "next_at", table: "deliveries"))
        }
    }
}
