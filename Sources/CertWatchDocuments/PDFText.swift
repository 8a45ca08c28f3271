import Foundation
import Subprocess

/// The text of an uploaded PDF, by Debian's `pdftotext` (poppler-utils). Uploaded files are
/// untrusted: the tool runs as a child process under `prlimit` (address space and CPU time
/// capped), is killed when `timeout` passes, gets the file on disk rather than through a shell,
/// and its output is capped; a file it cannot read is "not read", never a crash or a hang.
public enum PDFText {
    public enum Outcome: Sendable, Equatable {
        case text(String)
        /// A scan or an image-only PDF: checked by hand.
        case noText
        case notRead(String)
    }

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

    static let pdftotext = "/usr/bin/pdftotext"
    static let prlimit = "/usr/bin/prlimit"

    public static func extract(_ bytes: [UInt8], limits: Limits = Limits()) async -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: pdftotext) else {
            return .notRead("pdftotext is not installed (apt-get install poppler-utils)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-pdf-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try Data(bytes).write(to: file)
        } catch {
            return .notRead("cannot write a temporary file: \(error)")
        }
        let cpuSeconds = max(1, Int(limits.timeout.components.seconds))
        let arguments = ["--as=\(limits.memoryBytes)", "--cpu=\(cpuSeconds)", "--", pdftotext, "-q", "-enc", "UTF-8", "-eol", "unix", file.path, "-"]
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    let result = try await run(.path(.init(prlimit)), arguments: .init(arguments), output: .string(limit: limits.outputBytes),
                                               error: .discarded)
                    guard case .exited(0) = result.terminationStatus else {
                        return .notRead("pdftotext could not read the file (\(result.terminationStatus))")
                    }
                    let text = result.standardOutput ?? ""
                    return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? .noText : .text(text)
                } catch is CancellationError {
                    return nil
                } catch {
                    return .notRead("pdftotext failed: \(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: limits.timeout)
                return Task.isCancelled ? nil : .notRead("pdftotext took longer than \(limits.timeout); stopped")
            }
            // The first to end decides; cancelling the other kills pdftotext if it still runs.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .notRead("stopped")
        }
    }
}
