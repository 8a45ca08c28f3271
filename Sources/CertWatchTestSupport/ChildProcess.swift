import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A program a test runs to its end (the `certwatch` CLI, a Python helper, openssl), through
/// swift-subprocess rather than Foundation's `Process`, for three reasons that made a CI run hang:
/// the wait is awaited, so it never holds one of the concurrency pool's threads (two on a
/// 2-core machine); the child gets no descriptor but its stdio, so it cannot keep another test's
/// pipe open; and a child that does not end within `timeout` is killed and the test fails.
public enum ChildProcess {
    public struct Result: Sendable {
        /// The exit code, or 128 + the signal that ended the process.
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var command: String
        public var timeout: Duration
        public var description: String { "\(command) did not end within \(timeout); killed" }
    }

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        timeout: Duration = .seconds(180)
    ) async throws -> Result {
        let variables = environment.reduce(into: [Environment.Key: String?]()) { $0[Environment.Key(stringLiteral: $1.key)] = $1.value }
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments), environment: .inherit.updating(variables),
                    workingDirectory: directory.map { FilePath($0) }, output: .string(limit: 64 << 20), error: .string(limit: 64 << 20))
                return Result(status: result.terminationStatus.code, stdout: result.standardOutput, stderr: result.standardError)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            // The first to end decides; cancelling the other kills the child if it still runs.
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else { throw TimedOut(command: ([executable] + arguments).joined(separator: " "), timeout: timeout) }
            return first
        }
    }
}

extension TerminationStatus {
    /// The shell's convention: the exit code, or 128 + the signal.
    public var code: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}
