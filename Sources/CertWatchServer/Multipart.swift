import Foundation
import MultipartKit

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
