import Foundation

/// A test server from `testing/` (a Python script) on a loopback port for the duration of a
/// test. The script prints a first line ending in its port and exits when its stdin closes, so
/// a test that crashes does not leave it running.
public final class LoopbackProcess: Sendable {
    public let port: Int
    private let process: Process
    private let input: Pipe

    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Starts `testing/SCRIPT ARGUMENTS --exit-with-stdin`, runs `body`, stops the script.
    public static func with<T>(_ script: String, _ arguments: [String], _ body: (LoopbackProcess) async throws -> T) async throws -> T {
        let server = try start(script, arguments)
        defer { server.stop() }
        return try await body(server)
    }

    /// Starts the script; call `stop()` when done.
    public static func start(_ script: String, _ arguments: [String]) throws -> LoopbackProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("testing/\(script)").path] + arguments + ["--exit-with-stdin"]
        let out = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardInput = input
        try process.run()
        var line = ""
        while !line.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = line.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            try? input.fileHandleForWriting.close()
            throw Failure(message: "testing/\(script) did not start: \(line)")
        }
        return LoopbackProcess(port: port, process: process, input: input)
    }

    private init(port: Int, process: Process, input: Pipe) {
        self.port = port
        self.process = process
        self.input = input
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
