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
///
/// Each send goes to the address `DestinationPolicy` checked (the client's DNS is overridden
/// for the host, so TLS still verifies the host's name), and follows no redirect: a 3xx is the
/// receiver's answer, judged like any other non-2xx. So neither a second DNS answer nor a
/// `Location` can steer a webhook inside the operator's network.
public struct WebhookSender: Sendable {
    public static let timeout = TimeAmount.seconds(15)

    let policy: DestinationPolicy

    public init(policy: DestinationPolicy) {
        self.policy = policy
    }

    public func send(_ message: WebhookMessage, to url: String, secrets: [WebhookSecret], now: Date = Date()) async -> AttemptResult {
        let destination: DestinationPolicy.Destination
        do {
            destination = try await policy.check(url)
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
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        if let address = destination.address { configuration.dnsOverride = [destination.host: address] }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result: AttemptResult
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)  // not used; read so the connection closes cleanly
            result = AttemptResult(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            result = AttemptResult(error: "no answer within \(Self.timeout.nanoseconds / 1_000_000_000) s")
        } catch {
            result = AttemptResult(error: "\(error)")
        }
        try? await client.shutdown()
        return result
    }
}
