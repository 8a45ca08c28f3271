import CertWatchTestSupport
import Foundation
import Subprocess
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A `certwatch serve` process on a free port for the duration of `with`'s body, run by
/// swift-subprocess (see `ChildProcess`): its exit is awaited, never waited for on a pool thread.
final class ServeProcess: Sendable {
    let port: Int
    private let state = Mutex(State())

    private struct State {
        var processIdentifier: pid_t?
        var exitStatus: Int32?
        var failure: String?
        var output = ""
    }

    private init(port: Int) {
        self.port = port
    }

    /// Runs `certwatch serve --port P --database-url DB ARGUMENTS` while `body` runs; kills it
    /// afterwards if the body did not stop it.
    static func with<T: Sendable>(
        _ db: String, arguments: [String] = [], environment: [String: String] = [:], directory: String? = nil,
        _ body: (ServeProcess) async throws -> T
    ) async throws -> T {
        let server = ServeProcess(port: try CLI.freePort())
        let variables = environment.reduce(into: [Environment.Key: String?]()) { $0[Environment.Key(stringLiteral: $1.key)] = $1.value }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        .path(FilePath(CLI.binary)), arguments: Arguments(["serve", "--port", "\(server.port)", "--database-url", db] + arguments),
                        environment: .inherit.updating(variables), workingDirectory: directory.map { FilePath($0) },
                        input: .none, output: .sequence, error: .discarded
                    ) { execution in
                        server.state.withLock { $0.processIdentifier = execution.processIdentifier.value }
                        do {
                            for try await chunk in execution.standardOutput.strings() {
                                server.state.withLock { $0.output += chunk + "\n" }
                            }
                        } catch {}
                    }
                    server.state.withLock { $0.exitStatus = result.terminationStatus.code }
                } catch {
                    server.state.withLock { $0.failure = "\(error)"; $0.exitStatus = -1 }
                }
            }
            _ = try await eventually("certwatch serve to start") {
                try server.state.withLock { state in
                    if let failure = state.failure { throw LoopbackProcess.Failure(message: "certwatch serve did not start: \(failure)") }
                    return state.processIdentifier
                }
            }
            do {
                let value = try await body(server)
                server.kill()
                try await group.waitForAll()
                return value
            } catch {
                server.kill()
                throw error
            }
        }
    }

    var processIdentifier: pid_t { state.withLock { $0.processIdentifier ?? 0 } }

    /// What the process printed on stdout so far.
    var output: String { state.withLock { $0.output } }

    /// SIGKILL, as a crash would; the body goes on without waiting for the exit.
    func kill() {
        signal(SIGKILL)
    }

    /// SIGTERM, then the exit status once the process has ended.
    func terminate() async throws -> Int32 {
        signal(SIGTERM)
        return try await eventually("certwatch serve to exit after SIGTERM", every: .milliseconds(20)) { state.withLock { $0.exitStatus } }
    }

    private func signal(_ number: Int32) {
        state.withLock { state in
            guard state.exitStatus == nil, let pid = state.processIdentifier else { return }
            _ = Foundation.kill(pid, number)
        }
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
        let body = try await eventually("the server to answer POST \(path)", deadline: .seconds(60), every: .milliseconds(200)) {
            try? await URLSession.shared.data(for: request).0
        }
        return try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }
}
