import Foundation

/// XML from outside is parsed only once it is known to be UTF-8. FoundationXML's `XMLParser`
/// traps on invalid UTF-8 inside a comment (found by fuzzing the bulk reader: one corrupt
/// comment in a download would have killed the process), and every XML INTEGRITY and Excel write
/// is UTF-8, so anything else is refused as not INTEGRITY's text.
enum UTF8Text {
    struct Invalid: Error, CustomStringConvertible {
        var description: String { "the XML is not valid UTF-8 text" }
    }

    static func check(_ bytes: some Collection<UInt8>) throws(Invalid) {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw Invalid() }
    }

    /// Checks a file in 1 MiB chunks: memory stays flat for a download of any size. A character
    /// split by a chunk's end is carried into the next chunk.
    static func checkFile(_ url: URL) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var carried: [UInt8] = []
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            var bytes = carried + chunk
            let cut = completeLength(bytes)
            carried = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
            try check(bytes)
            guard carried.count < 4 else { throw Invalid() }
        }
        guard carried.isEmpty else { throw Invalid() }
    }

    /// How many leading bytes end on a character boundary: a trailing lead byte and its
    /// continuation bytes, when fewer than the lead announces, are left for the next chunk.
    static func completeLength(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        var continuation = 0
        while start > 0, continuation < 3, bytes[start - 1] & 0xC0 == 0x80 {
            start -= 1
            continuation += 1
        }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
        return needed > continuation ? start - 1 : bytes.count
    }
}
