import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `certwatch serve` process on a free port.
final class ServeProcess: Sendable {
    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    static func start(_ db: String, environment: [String: String]) throws -> ServeProcess {
        let port = try CLI.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--port", "\(port)", "--database-url", db]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return ServeProcess(process: process, port: port)
    }

    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func get(_ path: String, key: String) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let data = try await URLSession.shared.data(for: request).0
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// POSTs a JSON body, waiting for the server to listen (for a minute at most: a hang, not a slow start).
    func post(_ path: String, key: String, json: String) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let deadline = Date().addingTimeInterval(60)
        while true {
            do {
                let data = try await URLSession.shared.data(for: request).0
                return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            } catch where Date() < deadline && process.isRunning {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
