import CertWatchCore
import Crypto
import Foundation
import ZIPFoundation

/// Reads a bulk download as it sits on disk: a zip holding one XML file (or, from an operator,
/// the XML itself), checked before anything in it is believed.
struct BulkArchive {
    let source: String
    let url: String
    var limits = ZipLimits.standard

    /// Sanity checks, then the stream parse. `minimumBytes` is the smallest download accepted,
    /// derived from the last accepted one.
    func read(
        file: URL, wanted: Set<NOPOperationID>, knownDigests: [NOPOperationID: String], minimumBytes: Int, fetchedAt: Date
    ) throws(IntegrityAnswerRejected) -> IntegrityAnswer {
        let (digest, byteCount, head) = try FileFingerprint.of(file, source: source, url: url)
        func reject(_ reason: String) -> IntegrityAnswerRejected {
            IntegrityAnswerRejected(source: source, url: url, reason: reason, digest: digest)
        }
        if HTMLPage.looksLikeHTML(head) {
            throw reject("an HTML page arrived instead of data" + (HTMLPage.summary(head).map { ": \($0)" } ?? ""))
        }
        if byteCount < minimumBytes {
            throw reject("the download is \(byteCount) bytes, far smaller than the last accepted one (at least \(minimumBytes) expected)")
        }
        let xml: URL
        var extracted: URL?
        defer { if let extracted { try? FileManager.default.removeItem(at: extracted) } }
        if head.starts(with: [0x50, 0x4B]) {
            do {
                xml = try extractSingleEntry(file)
            } catch let refused as ZipLimits.Refused {
                throw reject("the archive is refused: \(refused.description)")
            } catch {
                throw reject("the zip archive is truncated or corrupt: \(error)")
            }
            extracted = xml
        } else if head.starts(with: Array("<?xml".utf8)) || head.first == UInt8(ascii: "<") {
            xml = file
        } else {
            throw reject("neither a zip archive nor XML")
        }
        let result: BulkXMLReader.Result
        do {
            var read = try BulkXMLReader(wanted: wanted, knownDigests: knownDigests).read(xml)
            // Digests can only be trusted when each operation's items are listed together.
            if !read.itemsGrouped && !knownDigests.isEmpty { read = try BulkXMLReader(wanted: wanted, knownDigests: [:]).read(xml) }
            result = read
        } catch let failure as BulkXMLReader.ReadFailure {
            throw reject(failure.message)
        } catch {
            throw reject("\(error)")
        }
        return IntegrityAnswer(
            source: source, url: url, fetchedAt: fetchedAt, digest: digest, byteCount: byteCount,
            operations: result.operations, isComplete: true, directory: result.directory, unchanged: result.unchanged,
            recordDigests: result.recordDigests, census: result.census)
    }

    /// Extracts the archive's only file to a temporary file, streaming.
    func extractSingleEntry(_ zip: URL) throws -> URL {
        let archive = try Archive(url: zip, accessMode: .read)
        let entries = archive.filter { $0.type == .file }
        guard entries.count == 1, let entry = entries.first else {
            throw ArchiveShape(message: "expected one file in the archive, found \(entries.count)")
        }
        return try limits.extract(entry, from: archive, prefix: "certwatch-bulk")
    }

    struct ArchiveShape: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

/// SHA-256, size and first bytes of a downloaded or imported file, read in chunks.
enum FileFingerprint {
    static func of(_ file: URL, source: String, url: String) throws(IntegrityAnswerRejected) -> (digest: String, bytes: Int, head: [UInt8]) {
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw IntegrityAnswerRejected(source: source, url: url, reason: "the file could not be read")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var count = 0
        var head: [UInt8] = []
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if head.isEmpty { head = Array(chunk.prefix(512)) }
            hasher.update(data: chunk)
            count += chunk.count
        }
        return (hasher.finalize().hexString, count, head)
    }
}
