import CertWatchStore
import Foundation

/// Reads the checkpoint tokens out of a file of any size and form (a log, webhook bodies, an
/// email), a megabyte at a time.
enum CheckpointFile {
    static let chunkBytes = 1 << 20
    /// More than a token's length: a token cut by a chunk's end is whole in the next read.
    static let overlapBytes = 256

    static func read(_ path: String) throws -> Set<AuditCheckpoint> {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read \(path)") }
        defer { try? handle.close() }
        var found = Set<AuditCheckpoint>()
        var carry = Data()
        while let chunk = try handle.read(upToCount: chunkBytes), !chunk.isEmpty {
            let text = carry + chunk
            found.formUnion(AuditCheckpoint.tokens(in: Substring(String(decoding: text, as: UTF8.self))))
            carry = text.suffix(overlapBytes)
        }
        if found.isEmpty { throw CLIError("\(path) holds no checkpoint (cwcp1.…)") }
        return found
    }
}
