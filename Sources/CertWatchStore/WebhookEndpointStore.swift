import CertWatchCore
import Foundation
import SQLKit

/// A receiver of signed webhooks. `eventTypes` empty means every type.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: String
    public var url: String
    public var description: String?
    public var eventTypes: [String]
    public var enabled: Bool
    /// Why the endpoint was disabled, e.g. it answered 410 Gone.
    public var disabledReason: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Secrets are never shown after creation or rotation; they are here to sign.
    public var secret: String
    public var previousSecret: String?
    public var previousSecretUntil: Date?

    /// The secrets that sign a message sent at `now`: the current one, and during a rotation's
    /// overlap the previous one too.
    public func signingSecrets(at now: Date) -> [String] {
        guard let previousSecret, let until = previousSecretUntil, until > now else { return [secret] }
        return [secret, previousSecret]
    }

    public func wants(_ eventType: String) -> Bool {
        eventTypes.isEmpty || eventTypes.contains(eventType)
    }
}

/// Keeps webhook endpoints. Pending deliveries of an endpoint that is deleted are withdrawn.
public struct WebhookEndpointStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(url: String, description: String?, eventTypes: [String], secret: String, at now: Date = Date()) async throws -> WebhookEndpoint {
        let endpoint = WebhookEndpoint(id: RecordID.make(at: now), url: url, description: description, eventTypes: eventTypes,
                                       enabled: true, createdAt: now, updatedAt: now, secret: secret)
        try await database.withConnection { db in
            try await db.insert(into: "webhook_endpoints")
                .columns("id", "url", "description", "event_types", "secret", "enabled", "created_at", "updated_at")
                .values(endpoint.id, url, description, JSONText.encode(eventTypes), secret, 1, Timestamp.format(now), Timestamp.format(now))
                .run()
        }
        return endpoint
    }

    public func get(_ id: String) async throws -> WebhookEndpoint? {
        try await database.withConnection { db in
            try await db.select().column("*").from("webhook_endpoints").where("id", .equal, id).first().map(Self.endpoint)
        }
    }

    /// Every endpoint, oldest first: a handler has a few, not thousands.
    public func list() async throws -> [WebhookEndpoint] {
        try await database.withConnection { db in
            try await db.select().column("*").from("webhook_endpoints").orderBy("id").all().map(Self.endpoint)
        }
    }

    /// What an update may change; nil fields stay as they are.
    public struct Changes: Sendable, Equatable {
        public var url: String?
        public var description: String?
        public var eventTypes: [String]?
        public var enabled: Bool?

        public init(url: String? = nil, description: String? = nil, eventTypes: [String]? = nil, enabled: Bool? = nil) {
            self.url = url
            self.description = description
            self.eventTypes = eventTypes
            self.enabled = enabled
        }
    }

    /// Applies `changes`; enabling an endpoint clears the reason it was disabled.
    public func update(_ id: String, _ changes: Changes, at now: Date = Date()) async throws -> WebhookEndpoint? {
        try await database.transaction { db in
            var update = db.update("webhook_endpoints").set("updated_at", to: Timestamp.format(now))
            if let url = changes.url { update = update.set("url", to: url) }
            if let description = changes.description { update = update.set("description", to: description) }
            if let types = changes.eventTypes { update = update.set("event_types", to: JSONText.encode(types)) }
            if let enabled = changes.enabled {
                update = update.set("enabled", to: enabled ? 1 : 0)
                if enabled { update = update.set("disabled_reason", to: SQLLiteral.null) }
            }
            try await update.where("id", .equal, id).run()
            return try await db.select().column("*").from("webhook_endpoints").where("id", .equal, id).first().map(Self.endpoint)
        }
    }

    /// Makes `secret` the signing secret; the old one keeps signing until `overlapUntil`.
    public func rotate(_ id: String, to secret: String, overlapUntil: Date, at now: Date = Date()) async throws -> WebhookEndpoint? {
        try await database.transaction { db in
            guard let endpoint = try await db.select().column("*").from("webhook_endpoints").where("id", .equal, id).first()
                .map(Self.endpoint) else { return nil }
            try await db.update("webhook_endpoints")
                .set("secret", to: secret).set("previous_secret", to: endpoint.secret)
                .set("previous_secret_until", to: Timestamp.format(overlapUntil)).set("updated_at", to: Timestamp.format(now))
                .where("id", .equal, id).run()
            var rotated = endpoint
            rotated.previousSecret = endpoint.secret
            rotated.previousSecretUntil = overlapUntil
            rotated.secret = secret
            rotated.updatedAt = now
            return rotated
        }
    }

    /// Deletes the endpoint and withdraws what it had not received yet; its delivery log stays.
    public func delete(_ id: String) async throws -> Bool {
        try await database.transaction { db in
            try await db.update("deliveries").set("status", to: DeliveryStatus.withdrawn.rawValue)
                .where("channel", .equal, DeliveryChannel.webhook.rawValue).where("destination", .equal, id)
                .where("status", .equal, DeliveryStatus.pending.rawValue).run()
            return try await db.raw("DELETE FROM webhook_endpoints WHERE id = \(bind: id) RETURNING id").all().count == 1
        }
    }

    /// Stops sending to an endpoint that said it is gone.
    static func disable(_ id: String, reason: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.update("webhook_endpoints").set("enabled", to: 0).set("disabled_reason", to: reason)
            .set("updated_at", to: Timestamp.format(now)).where("id", .equal, id).run()
    }

    static func endpoint(_ row: any SQLRow) throws -> WebhookEndpoint {
        func date(_ column: String) throws -> Date {
            let text = try row.decode(column: column, as: String.self)
            return try Timestamp.parse(text) ?? { throw CorruptRow(column: "webhook_endpoints.\(column)", value: text) }()
        }
        return WebhookEndpoint(
            id: try row.decode(column: "id", as: String.self),
            url: try row.decode(column: "url", as: String.self),
            description: try row.decode(column: "description", as: String?.self),
            eventTypes: try JSONText.decode([String].self, from: row.decode(column: "event_types", as: String.self)),
            enabled: try row.decode(column: "enabled", as: Int.self) != 0,
            disabledReason: try row.decode(column: "disabled_reason", as: String?.self),
            createdAt: try date("created_at"),
            updatedAt: try date("updated_at"),
            secret: try row.decode(column: "secret", as: String.self),
            previousSecret: try row.decode(column: "previous_secret", as: String?.self),
            previousSecretUntil: try Timestamp.decodeIfPresent(row, "previous_secret_until", table: "webhook_endpoints"))
    }
}
