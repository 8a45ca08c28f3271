import CertWatchStore
import CertWatchTestSupport
import Foundation

/// Runs the real `certwatch` binary, as an operator's script would.
enum CLI {
    /// `CERTWATCH_BIN` (set by scripts/test.sh), else the binary next to the test bundle.
    static let binary: String = ProcessInfo.processInfo.environment["CERTWATCH_BIN"]
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("certwatch").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], binary: String = binary, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
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
}
