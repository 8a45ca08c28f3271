import Foundation
import MultipartKit
import NIOCore

/// The boundary of a `multipart/form-data` body, from its `Content-Type`; nil for other types.
public enum MultipartBoundary {
    public static func of(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// False when a part's header names carry a byte past ASCII. multipart-kit 4.7.1 reads such a
    /// byte as an index into a 128-entry table and traps, so a body is checked before it is decoded.
    /// Each line of each part's header block (after a boundary line, up to the blank line) counts
    /// up to its first colon; a boundary text inside a part's content only makes the check stricter.
    public static func headerNamesAreASCII(_ body: ByteBuffer, boundary: String) -> Bool {
        let bytes = body.readableBytesView
        let delimiter = Array("--\(boundary)".utf8)
        guard !delimiter.isEmpty else { return true }
        var index = bytes.startIndex
        while let found = bytes[index...].firstRange(of: delimiter) {
            var position = found.upperBound
            var inName = false  // from the start of each header line to its first colon
            var lineStart = false  // the boundary line is under way
            var previous: UInt8 = 0
            // The boundary line, then the header lines up to the blank line.
            while position < bytes.endIndex {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\n") {
                    if previous == UInt8(ascii: "\r") && lineStart { break }  // the blank line ends the headers
                    inName = true
                    lineStart = true
                } else if byte != UInt8(ascii: "\r") {
                    lineStart = false
                    if byte == UInt8(ascii: ":") { inName = false }
                    if inName && byte >= 0x80 { return false }
                }
                previous = byte
                position += 1
            }
            index = found.upperBound
        }
        return true
    }
}

/// A file part of a `multipart/form-data` upload with the name the client gave it: multipart-kit
/// decodes a part into any `MultipartPartConvertible`, but its `Data` keeps only the bytes.
public struct UploadedFile: Decodable, MultipartPartConvertible, Sendable {
    public var bytes: [UInt8]
    /// The `filename` of the part's `Content-Disposition`, without any directory.
    public var fileName: String?

    public init?(multipart part: MultipartPart) {
        bytes = Array(buffer: part.body)
        let disposition = part.headers.first(name: "Content-Disposition") ?? ""
        fileName = disposition.firstMatch(of: /filename="([^"]*)"/).map { String($0.output.1) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var multipart: MultipartPart? { MultipartPart(body: bytes) }

    /// Only multipart bodies carry files.
    public init(from decoder: any Decoder) throws {
        throw DecodingError.typeMismatch(UploadedFile.self, .init(codingPath: decoder.codingPath, debugDescription: "a file part of a multipart upload"))
    }
}
