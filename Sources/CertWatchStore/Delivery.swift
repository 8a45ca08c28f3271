import CertWatchCore
import Foundation
import SQLKit

public enum DeliveryChannel: String, Sendable, Codable, CaseIterable {
    case webhook, email
}

public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    case pending, delivered, failed
    /// The alert was withdrawn (renewal) or the endpoint deleted before it was delivered.
    case withdrawn
}

/// One message of the outbox: an alert (or a webhook test) for one channel and destination —
/// an endpoint id for webhooks, an address for email.
public struct Delivery: Sendable, Equatable {
    public var id: String
    public var alertId: String?
    public var eventType: String
    public var channel: DeliveryChannel
    public var destination: String
    /// The `webhook-id`: the same on every attempt so receivers can de-duplicate.
    public var messageId: String
    /// The webhook body `{type, timestamp, data}`; emails are written from it.
    public var payload: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastStatus: Int?
    public var lastError: String?
    public var deliveredAt: Date?
    public var createdAt: Date
}

/// One try, as the delivery log shows it.
public struct DeliveryAttempt: Sendable, Equatable {
    public var attemptedAt: Date
    public var status: Int?
    public var error: String?
    public var durationMs: Int
}

/// A delivery to add to the outbox.
public struct NewDelivery: Sendable, Equatable {
    public var alertId: String?
    public var eventType: String
    public var channel: DeliveryChannel
    public var destination: String
    public var payload: String
    /// Not before: now for webhooks and immediate emails, the next digest time for expiry emails.
    public var due: Date

    public init(alertId: String?, eventType: String, channel: DeliveryChannel, destination: String, payload: String, due: Date) {
        self.alertId = alertId
        self.eventType = eventType
        self.channel = channel
        self.destination = destination
        self.payload = payload
        self.due = due
    }
}

extension Delivery {
    static func from(_ row: any SQLRow) throws -> Delivery {
        func date(_ column: String) throws -> Date {
            let text = try row.decode(column: column, as: String.self)
            return try Timestamp.parse(text) ?? { throw CorruptRow(column: "deliveries.\(column)", value: text) }()
        }
        let channel = try row.decode(column: "channel", as: String.self)
        let status = try row.decode(column: "status", as: String.self)
        return Delivery(
            id: try row.decode(column: "id", as: String.self),
            alertId: try row.decode(column: "alert_id", as: String?.self),
            eventType: try row.decode(column: "event_type", as: String.self),
            channel: try DeliveryChannel(rawValue: channel) ?? { throw CorruptRow(column: "deliveries.channel", value: channel) }(),
            destination: try row.decode(column: "destination", as: String.self),
            messageId: try row.decode(column: "message_id", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            status: try DeliveryStatus(rawValue: status) ?? { throw CorruptRow(column: "deliveries.status", value: status) }(),
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try date("next_attempt_at"),
            lastStatus: try row.decode(column: "last_status", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            deliveredAt: try Timestamp.decodeIfPresent(row, "delivered_at", table: "deliveries"),
            createdAt: try date("created_at"))
    }
}
