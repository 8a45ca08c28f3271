import Foundation
import ZIPFoundation

/// How far an archive from outside (a bulk download, an imported bulk file or workbook) may
/// expand: a zip bomb — a few kilobytes that inflate to gigabytes — is refused while it inflates,
/// before it fills the disk or memory. Each entry counts its inflated bytes as they come.
/// Entries are inflated by `ZipEntryInflater`, not ZIPFoundation's `extract`, which never returns
/// on some corrupt deflate streams (`Fuzz/regressions`).
///
/// Reads: `imports.maxUncompressedMegabytes` (2048) and `imports.maxCompressionRatio` (200).
public struct ZipLimits: Sendable, Equatable {
    /// The most one entry may inflate to.
    public var maxEntryBytes: Int
    /// The most an entry may inflate per byte stored (entries under 1 MiB inflated are not judged).
    public var maxRatio: Int

    public static let standard = ZipLimits(maxEntryBytes: 2_048 << 20, maxRatio: 200)

    public init(maxEntryBytes: Int, maxRatio: Int) {
        self.maxEntryBytes = maxEntryBytes
        self.maxRatio = maxRatio
    }

    /// An entry past a limit, or one that cannot be read as its directory record describes it.
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// Inflates `entry` through `consumer`, throwing `Refused` as soon as it passes a limit, or
    /// when it cannot be read as its directory record describes it (truncated or corrupt).
    func extract(_ entry: Entry, from archive: Archive, _ consumer: (Data) throws -> Void) throws {
        // An entry that claims more stored bytes than the whole file has is truncated or forged.
        let archiveBytes = (try? FileManager.default.attributesOfItem(atPath: archive.url.path)[.size] as? Int) ?? 0
        guard entry.compressedSize <= UInt64(max(archiveBytes, 0)) else {
            throw Refused(description: "\(entry.path) claims \(entry.compressedSize) stored bytes in a \(archiveBytes)-byte archive: truncated or corrupt")
        }
        let stored = max(Int(clamping: entry.compressedSize), 1)
        var inflated = 0
        do {
            try ZipEntryInflater.inflate(entry, in: archive.url) { chunk in
                inflated += chunk.count
                if inflated > maxEntryBytes {
                    throw Refused(description: "\(entry.path) inflates to more than \(maxEntryBytes >> 20) MiB (imports.maxUncompressedMegabytes)")
                }
                if inflated > 1 << 20, inflated / stored > maxRatio {
                    throw Refused(description: "\(entry.path) inflates more than \(maxRatio) times its stored size, as a zip bomb does (imports.maxCompressionRatio)")
                }
                try consumer(chunk)
            }
        } catch let unreadable as ZipEntryInflater.Unreadable {
            throw Refused(description: unreadable.description)
        }
    }

    /// Inflates `entry` into memory: for entries parsed whole (shared strings, relationships), so
    /// at most a quarter of the entry limit.
    func data(_ entry: Entry, from archive: Archive) throws -> Data {
        var data = Data()
        var inMemory = self
        inMemory.maxEntryBytes = maxEntryBytes / 4
        try inMemory.extract(entry, from: archive) { data.append($0) }
        return data
    }

    /// Inflates `entry` into a new temporary file and returns it.
    func extract(_ entry: Entry, from archive: Archive, prefix: String) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: target.path, contents: nil) else {
            throw Refused(description: "cannot write \(target.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: target)
            defer { try? handle.close() }
            try extract(entry, from: archive) { try handle.write(contentsOf: $0) }
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw error
        }
        return target
    }
}
