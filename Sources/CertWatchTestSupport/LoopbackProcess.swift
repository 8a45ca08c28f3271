import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A test server from `testing/` (a Python script) on a loopback port for the duration of a
/// test. The script prints a first line ending in its port and exits when its stdin closes, so
/// a test that crashes does not leave it running. It runs under swift-subprocess (see
/// `ChildProcess` for why) and lives exactly as long as `with`'s body.
public final class LoopbackProcess: Sendable {
    public let port: Int

    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// How long the script may take to exit after its stdin closes before it is killed.
    static let exitGrace: Duration = .seconds(10)

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        public init(message: String) {
            self.message = message
        }
    }

    private init(port: Int) {
        self.port = port
    }

    /// Starts `testing/SCRIPT ARGUMENTS --exit-with-stdin`, runs `body`, stops the script.
    public static func with<T: Sendable>(_ script: String, _ arguments: [String], _ body: (LoopbackProcess) async throws -> T) async throws -> T {
        let path = repository.appendingPathComponent("testing/\(script)").path
        let outcome = try await Subprocess.run(
            .path("/usr/bin/env"), arguments: Arguments(["python3", path] + arguments + ["--exit-with-stdin"]),
            input: .inputWriter, output: .sequence, error: .currentStandardError
        ) { execution in
            let (firstLine, announce) = AsyncStream<String>.makeStream()
            return try await withThrowingTaskGroup(of: Void.self) { group in
                // Reads stdout to its end, so the script never blocks on a full pipe; the end of
                // stdout is the script's exit.
                group.addTask {
                    var announced = false
                    do {
                        for try await line in execution.standardOutput.strings() where !announced {
                            announce.yield(line)
                            announced = true
                        }
                    } catch {}
                    announce.finish()
                }
                var lines = firstLine.makeAsyncIterator()
                let line = await lines.next() ?? ""
                announce.finish()
                guard let port = line.split(separator: " ").last.flatMap({ Int($0) }) else {
                    throw Failure(message: "testing/\(script) did not start: \(line)")
                }
                let value = try await body(LoopbackProcess(port: port))
                try await execution.standardInputWriter.finish()
                group.addTask {
                    try await Task.sleep(for: exitGrace)
                    try? execution.send(signal: .kill)
                }
                // Whichever ends first: stdout (the script exited) or the grace (it was killed).
                _ = try await group.next()
                group.cancelAll()
                return value
            }
        }
        return outcome.closureResult
    }
}
