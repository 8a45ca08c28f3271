import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The project's webhook receiver (`testing/webhook_receiver.py`): a real HTTP server that checks
/// each message's signature with the `standardwebhooks` package and records it.
public final class WebhookReceiver: Sendable {
    private let server: LoopbackProcess

    /// Where CertWatch should post.
    public var url: String { "http://127.0.0.1:\(server.port)/hooks" }

    public static func with<T: Sendable>(_ body: (WebhookReceiver) async throws -> T) async throws -> T {
        try await LoopbackProcess.with("webhook_receiver.py", ["--port", "0"]) { try await body(WebhookReceiver(server: $0)) }
    }

    private init(server: LoopbackProcess) {
        self.server = server
    }

    /// A message as it arrived.
    public struct Received: Decodable, Sendable {
        public var webhookId: String?
        public var timestamp: String?
        public var verified: Bool
        /// Which of the configured secrets verified it.
        public var verifiedWith: Int?
        public var error: String?
        /// What the receiver answered.
        public var status: Int
        public var body: Body?

        public struct Body: Decodable, Sendable {
            public var type: String
            public var timestamp: String
            public var data: [String: JSONValue]
        }
    }

    /// The secrets a message may be signed with, as CertWatch showed them.
    public func trust(_ secrets: [String]) async throws {
        try await post("/_control/secrets", ["secrets": secrets])
    }

    /// The next answers in order: status, optional Retry-After, optional seconds to wait first.
    public func answer(_ answers: [(status: Int, retryAfter: String?, wait: Double?)]) async throws {
        try await post("/_control/answers", ["answers": answers.map { [$0.status, $0.retryAfter as Any, $0.wait as Any] }])
    }

    /// The next message is answered with a redirect (`status`, e.g. 307) to `location`.
    public func redirect(_ status: Int, to location: String) async throws {
        try await post("/_control/answers", ["answers": [[status, NSNull(), NSNull(), location]]])
    }

    public func received() async throws -> [Received] {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/_control/received"), timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return try JSONDecoder().decode([Received].self, from: Data(bytes.readableBytesView))
    }

    /// Waits until `condition` holds for what arrived, or fails after `timeout`.
    public func waitFor(timeout: Duration = .seconds(20), _ condition: ([Received]) -> Bool) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let received = try await received()
            if condition(received) { return received }
            guard ContinuousClock.now < deadline else {
                throw LoopbackProcess.Failure(message: "the receiver did not get what the test waited for; it got \(received.count) messages")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func post(_ path: String, _ body: [String: Any]) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)\(path)")
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        _ = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    }
}

/// Any JSON value, for asserting on webhook bodies.
public enum JSONValue: Decodable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), object([String: JSONValue]), array([JSONValue]), null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode([JSONValue].self) { self = .array(v) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public var string: String? { if case .string(let v) = self { v } else { nil } }
    public var number: Double? { if case .number(let v) = self { v } else { nil } }
}
