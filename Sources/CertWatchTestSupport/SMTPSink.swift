import Foundation

/// The project's SMTP server for tests (`testing/smtp_sink.py`, aiosmtpd): a real server on
/// loopback that keeps what it receives; messages are read back with Python's `email` package.
public final class SMTPSink: Sendable {
    private let server: LoopbackProcess
    public let folder: URL

    public var port: Int { server.port }

    /// `tls` is (certificate, key) PEM paths for STARTTLS; `auth` is "user:password".
    public static func with<T: Sendable>(tls: (cert: String, key: String)? = nil, requireStartTLS: Bool = false, auth: String? = nil,
                               _ body: (SMTPSink) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cw-smtp-\(UUID().uuidString)")
        var arguments = ["--port", "0", "--out", folder.path]
        if let tls { arguments += ["--tls-cert", tls.cert, "--tls-key", tls.key] }
        if requireStartTLS { arguments.append("--require-starttls") }
        if let auth { arguments += ["--auth", auth] }
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await LoopbackProcess.with("smtp_sink.py", arguments) { try await body(SMTPSink(server: $0, folder: folder)) }
    }

    private init(server: LoopbackProcess, folder: URL) {
        self.server = server
        self.folder = folder
    }

    /// A message as Python's `email` package reads it, with its envelope.
    public struct Message: Decodable, Sendable {
        public var subject: String
        public var from: String
        public var to: String
        public var date: String
        public var messageId: String
        public var contentType: String
        public var textBody: String?
        public var htmlBody: String?
        public var defects: [String]
        public var envelopeTo: [String] = []
        /// The client's port: messages with the same one came over one connection.
        public var clientPort = 0

        enum CodingKeys: String, CodingKey { case subject, from, to, date, messageId, contentType, textBody, htmlBody, defects }
    }

    /// Every message received so far, in order.
    public func messages() async throws -> [Message] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".eml") }.sorted() ?? []
        guard !files.isEmpty else { return [] }
        let parsed = try await ChildProcess.run("/usr/bin/env", ["python3", LoopbackProcess.repository.appendingPathComponent("testing/parse_email.py").path]
            + files.map { folder.appendingPathComponent($0).path })
        guard parsed.status == 0 else { throw LoopbackProcess.Failure(message: "parse_email.py failed: \(parsed.stderr)") }
        let data = Data(parsed.stdout.utf8)
        var messages = try JSONDecoder().decode([Message].self, from: data)
        for (index, file) in files.enumerated() {
            let envelope = folder.appendingPathComponent(file.replacingOccurrences(of: ".eml", with: ".json"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: envelope)) as? [String: Any]
            messages[index].envelopeTo = json?["to"] as? [String] ?? []
            messages[index].clientPort = (json?["peer"] as? [Any])?.last as? Int ?? 0
        }
        return messages
    }

    /// Waits until at least `count` messages arrived, or fails after `timeout`.
    public func waitFor(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [Message] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let messages = try await messages()
            if messages.count >= count { return messages }
            guard ContinuousClock.now < deadline else {
                throw LoopbackProcess.Failure(message: "the SMTP sink got \(messages.count) of \(count) messages")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
