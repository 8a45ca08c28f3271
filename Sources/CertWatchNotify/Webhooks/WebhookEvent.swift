import CertWatchCore
import Foundation

/// The body every webhook carries, `{type, timestamp, data}` (Standard Webhooks), and the form
/// an email is written from. `timestamp` is when the event happened, not when it was sent.
public struct WebhookEvent: Codable, Sendable, Equatable {
    public static let testType = "webhook.test"
    /// Every type an endpoint may subscribe to. `audit.checkpoint` goes only to endpoints that
    /// name it: an endpoint that takes every type is not sent the chain's seals unasked.
    public static let types = AlertKind.allCases.map(\.rawValue) + [testType, AlertData.Checkpoint.eventType]

    public var type: String
    public var timestamp: Date
    public var data: AlertData

    public init(type: String, timestamp: Date, data: AlertData) {
        self.type = type
        self.timestamp = timestamp
        self.data = data
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public init(json: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(WebhookEvent.self, from: Data(json.utf8))
    }

    /// What `POST /v1/webhook-endpoints/{id}/test` sends.
    public static func test(at now: Date) -> WebhookEvent {
        WebhookEvent(type: testType, timestamp: now,
                     data: AlertData.note("A test message from CertWatch: this endpoint receives and verifies signed webhooks."))
    }
}
