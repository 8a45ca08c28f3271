import AsyncHTTPClient
import CertWatchCore
import Foundation
import NIOCore
import NIOHTTP1

/// One webhook message as stored in the outbox: its id stays the same across retries so a
/// receiver can de-duplicate, and its body is fixed when the alert is fanned out.
public struct WebhookMessage: Sendable, Equatable {
    public var id: String
    public var body: Data

    public init(id: String, body: Data) {
        self.id = id
        self.body = body
    }
}

/// Posts a signed message to an endpoint and reports what came back. Never throws: every way a
/// send can go wrong is an `AttemptResult` the retry schedule judges.
public struct WebhookSender: Sendable {
    public static let timeout = TimeAmount.seconds(15)

    let client: HTTPClient
    let policy: DestinationPolicy

    public init(client: HTTPClient, policy: DestinationPolicy) {
        self.client = client
        self.policy = policy
    }

    public func send(_ message: WebhookMessage, to url: String, secrets: [WebhookSecret], now: Date = Date()) async -> AttemptResult {
        do {
            _ = try await policy.check(url)
        } catch {
            return AttemptResult(error: "refused: \(error.description)", permanent: true)
        }
        // The timestamp is the attempt's: receivers reject messages whose timestamp is too old.
        let timestamp = Int(now.timeIntervalSince1970)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "CertWatch-Webhooks/1")
        request.headers.add(name: "webhook-id", value: message.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature",
                            value: WebhookSignature.header(id: message.id, timestamp: timestamp, body: message.body, secrets: secrets))
        request.body = .bytes(ByteBuffer(bytes: message.body))
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            // The answer's body is not used; read a little of it so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return AttemptResult(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return AttemptResult(error: "no answer within \(Self.timeout.nanoseconds / 1_000_000_000) s")
        } catch {
            return AttemptResult(error: "\(error)")
        }
    }
}
