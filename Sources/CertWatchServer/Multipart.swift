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

    /// False when multipart-kit would read a byte past ASCII as a header-name character: its
    /// parser (4.7.1) looks such a byte up in a 128-entry table and traps, so a body is checked
    /// before it is decoded. After each boundary text this follows the parser's header states
    /// (a line ends at CR LF; a bare LF belongs to the value; a blank line ends the headers);
    /// a boundary text inside a part's content only makes the check stricter.
    public static func headerNamesAreASCII(_ body: ByteBuffer, boundary: String) -> Bool {
        let bytes = Array(body.readableBytesView)
        let delimiter = Array("--\(boundary)".utf8)
        var searchFrom = 0
        while searchFrom < bytes.count, let found = bytes[searchFrom...].firstRange(of: delimiter) {
            if !headerNamesAreASCII(bytes, after: found.upperBound) { return false }
            searchFrom = found.upperBound
        }
        return true
    }

    /// The parser's header states from just after a boundary, until it would stop or throw.
    private static func headerNamesAreASCII(_ bytes: [UInt8], after start: Int) -> Bool {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), colon = UInt8(ascii: ":")
        // The boundary line ends with CR LF; anything else ends the parts ("--") or is refused.
        guard start + 1 < bytes.count, bytes[start] == cr, bytes[start + 1] == lf else { return true }
        var index = start + 2
        var inName = true, nameIsEmpty = true
        while index < bytes.count {
            let byte = bytes[index]
            if inName {
                if byte == colon && !nameIsEmpty {
                    inName = false
                } else if byte == cr && nameIsEmpty {
                    return true  // the blank line: the part's content follows
                } else if byte >= 0x80 {
                    return false
                } else {
                    nameIsEmpty = false
                }
            } else if byte == cr {
                guard index + 1 < bytes.count, bytes[index + 1] == lf else { return true }  // refused by the parser
                index += 1
                inName = true
                nameIsEmpty = true
            }
            index += 1
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
