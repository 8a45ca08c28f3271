import CertWatchStore
import Foundation

/// A webhook endpoint as the API shows it: the secret only in the answer that made it.
struct EndpointResponse: Encodable {
    var id: String
    var url: String
    var description: String?
    var eventTypes: [String]
    var enabled: Bool
    var disabledReason: String?
    var createdAt: Date
    var updatedAt: Date
    var secret: String?
    var previousSecretExpiresAt: Date?

    init(_ endpoint: WebhookEndpoint, secret: String? = nil) {
        id = endpoint.id
        url = endpoint.url
        description = endpoint.description
        eventTypes = endpoint.eventTypes
        enabled = endpoint.enabled
        disabledReason = endpoint.disabledReason
        createdAt = endpoint.createdAt
        updatedAt = endpoint.updatedAt
        self.secret = secret
        previousSecretExpiresAt = endpoint.previousSecretUntil.flatMap { $0 > Date() ? $0 : nil }
    }
}

/// A delivery and, when shown alone, every attempt at it.
struct DeliveryResponse: Encodable {
    struct Attempt: Encodable {
        var attemptedAt: Date
        var status: Int?
        var error: String?
        var durationMs: Int
    }

    var id: String
    var alertId: String?
    var type: String
    var channel: String
    var destination: String
    /// The `webhook-id` header: the same on every attempt.
    var webhookId: String
    var status: String
    var attempts: Int
    var nextAttemptAt: Date?
    var lastStatus: Int?
    var lastError: String?
    var deliveredAt: Date?
    var createdAt: Date
    var log: [Attempt]?

    init(_ delivery: Delivery, log: [DeliveryAttempt]? = nil) {
        id = delivery.id
        alertId = delivery.alertId
        type = delivery.eventType
        channel = delivery.channel.rawValue
        destination = delivery.destination
        webhookId = delivery.messageId
        status = delivery.status.rawValue
        attempts = delivery.attempts
        nextAttemptAt = delivery.status == .pending ? delivery.nextAttemptAt : nil
        lastStatus = delivery.lastStatus
        lastError = delivery.lastError
        deliveredAt = delivery.deliveredAt
        createdAt = delivery.createdAt
        self.log = log?.map { Attempt(attemptedAt: $0.attemptedAt, status: $0.status, error: $0.error, durationMs: $0.durationMs) }
    }
}
