import CertWatchCore
import CertWatchNotify
import CertWatchStore
import Foundation

/// What the API, the page and the CLI do to webhook endpoints, written once: register one (its
/// URL checked by the destination policy, its event types known, a secret made), check a
/// change, rotate the secret with an overlap, and send a `webhook.test` message — queued for the
/// delivery worker, or sent at once for the CLI, which prints what the endpoint answered.
public struct WebhookRegistry: Sendable {
    /// An endpoint with the secret just made for it: shown once, never stored in clear elsewhere.
    public struct WithSecret: Sendable {
        public var endpoint: WebhookEndpoint
        public var secret: String
    }

    let endpoints: WebhookEndpointStore
    let outbox: DeliveryStore
    let destinations: DestinationPolicy
    /// How long a rotated-out secret keeps signing (`webhooks.secretOverlapHours`).
    public let secretOverlap: TimeInterval

    public init(endpoints: WebhookEndpointStore, outbox: DeliveryStore, destinations: DestinationPolicy, secretOverlap: TimeInterval) {
        self.endpoints = endpoints
        self.outbox = outbox
        self.destinations = destinations
        self.secretOverlap = secretOverlap
    }

    /// Registers an endpoint for `eventTypes` (every type when empty). Every bad field is named.
    public func register(url: String, description: String?, eventTypes: [String], at now: Date = Date()) async throws -> WithSecret {
        _ = try await validated(url: url, description: description, eventTypes: eventTypes, enabled: nil)
        let secret = WebhookSecret.generate()
        let endpoint = try await endpoints.create(url: url, description: description, eventTypes: eventTypes, secret: secret.text, at: now)
        return WithSecret(endpoint: endpoint, secret: secret.text)
    }

    /// A change to an endpoint, checked as a registration is: a new URL by the destination
    /// policy, event types against the known ones. Throws `ValidationFailure`.
    public func validated(url: String?, description: String?, eventTypes: [String]?, enabled: Bool?) async throws -> WebhookEndpointStore.Changes {
        var errors: [FieldError] = []
        if let url {
            do { _ = try await destinations.check(url) } catch { errors.append(FieldError(field: "url", message: "\(error)")) }
        }
        if let eventTypes, let refused = Self.unknownEventType(in: eventTypes) { errors.append(FieldError(field: "eventTypes", message: refused)) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return WebhookEndpointStore.Changes(url: url, description: description, eventTypes: eventTypes, enabled: enabled)
    }

    /// Why `eventTypes` cannot be subscribed to, nil when every type is known; the CLI asks it
    /// before it opens the database.
    public static func unknownEventType(in eventTypes: [String]) -> String? {
        eventTypes.first { !WebhookEvent.types.contains($0) }
            .map { "unknown type \"\($0)\"; use \(WebhookEvent.types.joined(separator: ", "))" }
    }

    /// A new secret that signs at once; the old one keeps signing for `secretOverlap`, so a
    /// receiver can switch without losing a message. Nil when there is no such endpoint.
    public func rotateSecret(of id: String, at now: Date = Date()) async throws -> WithSecret? {
        let secret = WebhookSecret.generate()
        guard let rotated = try await endpoints.rotate(id, to: secret.text, overlapUntil: now.addingTimeInterval(secretOverlap), at: now)
        else { return nil }
        return WithSecret(endpoint: rotated, secret: secret.text)
    }

    /// Queues a `webhook.test` message for the delivery worker, which sends it like any other.
    /// Nil when there is no such endpoint.
    public func queueTest(to id: String, at now: Date = Date()) async throws -> Delivery? {
        guard let endpoint = try await endpoints.get(id) else { return nil }
        let ids = try await outbox.enqueue([NewDelivery(alertId: nil, eventType: WebhookEvent.testType, channel: .webhook,
                                                        destination: endpoint.id, payload: try WebhookEvent.test(at: now).json(), due: now)], at: now)
        guard let queued = ids.first else { return nil }
        return try await outbox.get(queued)?.delivery
    }

    /// Signs and sends a `webhook.test` message now and returns what the endpoint answered. Nil
    /// when there is no such endpoint.
    public func sendTest(to id: String, at now: Date = Date()) async throws -> AttemptResult? {
        guard let endpoint = try await endpoints.get(id) else { return nil }
        let message = WebhookMessage(id: "msg_test_\(RecordID.make(at: now).replacingOccurrences(of: "-", with: ""))",
                                     body: Data(try WebhookEvent.test(at: now).json().utf8))
        return await WebhookSender(policy: destinations)
            .send(message, to: endpoint.url, secrets: endpoint.signingSecrets(at: now).compactMap(WebhookSecret.init))
    }
}
