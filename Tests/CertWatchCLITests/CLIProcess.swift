import CertWatchStore
import CertWatchTestSupport
import Foundation

/// Runs the real `certwatch` binary, as an operator's script would.
enum CLI {
    /// `CERTWATCH_BIN` (set by scripts/test.sh), else the binary next to the test bundle.
    static let binary: String = ProcessInfo.processInfo.environment["CERTWATCH_BIN"]
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("certwatch").path

    typealias Result = ChildProcess.Result

    /// Runs `certwatch ARGUMENTS` to its end (killed after `timeout`: a hang fails the test).
    static func run(_ arguments: [String], binary: String = binary, environment: [String: String] = [:],
                    timeout: Duration = .seconds(180)) async throws -> Result {
        try await ChildProcess.run(binary, arguments, environment: environment, timeout: timeout)
    }

    /// `--database-url` text for a fresh database on `backend`.
    static func databaseArgument(_ backend: Backend) async throws -> String {
        switch try await freshDatabaseURL(backend) {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url
        }
    }

    static func writeTemporary(_ text: String, suffix: String = ".csv") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cw-\(UUID().uuidString)\(suffix)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A loopback port nothing listens on right now.
    static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
