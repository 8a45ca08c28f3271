import Foundation
import Subprocess

/// A Debian tool run on an untrusted file: a child process under `prlimit` (address space and
/// CPU time capped), given paths rather than a shell, killed when `timeout` passes, its output
/// capped. Whatever the file does to the tool ends as a `Failure`, never a crash or a hang.
public enum ConfinedTool {
    public struct Limits: Sendable {
        public var timeout: Duration
        public var memoryBytes: Int
        public var outputBytes: Int

        public init(timeout: Duration = .seconds(10), memoryBytes: Int = 512 << 20, outputBytes: Int = 4 << 20) {
            self.timeout = timeout
            self.memoryBytes = memoryBytes
            self.outputBytes = outputBytes
        }
    }

    /// Why the tool gave no answer, in words that name it.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    static let prlimit = "/usr/bin/prlimit"

    /// What `tool` printed when it exited 0.
    static func run(_ tool: String, _ arguments: [String], limits: Limits) async -> Result<String, Failure> {
        let name = URL(fileURLWithPath: tool).lastPathComponent
        let cpuSeconds = max(1, Int(limits.timeout.components.seconds))
        let confined = ["--as=\(limits.memoryBytes)", "--cpu=\(cpuSeconds)", "--", tool] + arguments
        return await withTaskGroup(of: Result<String, Failure>?.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(.path(.init(prlimit)), arguments: .init(confined),
                                                          output: .string(limit: limits.outputBytes), error: .discarded)
                    guard case .exited(0) = result.terminationStatus else {
                        return .failure(Failure(description: "\(name) could not read the file (\(result.terminationStatus))"))
                    }
                    return .success(result.standardOutput ?? "")
                } catch is CancellationError {
                    return nil
                } catch {
                    return .failure(Failure(description: "\(name) failed: \(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: limits.timeout)
                return Task.isCancelled ? nil : .failure(Failure(description: "\(name) took longer than \(limits.timeout); stopped"))
            }
            // The first to end decides; cancelling the other kills the tool if it still runs.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(Failure(description: "\(name) was stopped"))
        }
    }
}
