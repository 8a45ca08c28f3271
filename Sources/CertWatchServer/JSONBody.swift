import CertWatchCore
import Foundation
import Hummingbird
import NIOCore

/// Reads request bodies and writes JSON answers with the API's rules: a size limit, JSON only,
/// and decoding errors that say which field is wrong.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws -> T {
        if let contentType = request.headers[.contentType], !contentType.lowercased().contains("json") {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", title: "Unsupported media type",
                          detail: "send the body as application/json, not \(contentType)")
        }
        let buffer = try await collect(request, limit: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge(limit)
        }
    }

    private static func tooLarge(_ limit: Int) -> Problem {
        Problem(.contentTooLarge, "body-too-large", title: "Request body too large",
                detail: "the body is larger than \(limit) bytes")
    }

    static func problem(for error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce("") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path.isEmpty ? key.stringValue : path + "." + key.stringValue
            }
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return .validation(ValidationFailure([FieldError(field: path(context.codingPath), message: "expected \(describe(type))")]))
        case .keyNotFound(let key, let context):
            return .validation(ValidationFailure([FieldError(field: path(context.codingPath + [key]), message: "is required")]))
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .validation(ValidationFailure([FieldError(field: path(context.codingPath), message: context.debugDescription)]))
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
            return Problem(.badRequest, "malformed-json", title: "Malformed JSON", detail: "the body is not valid JSON\(underlying)")
        @unknown default:
            return .badRequest("the body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is String?.Type: "a string"
        case is [String].Type, is [String]?.Type: "an array of strings"
        case is Int.Type, is Bool.Type: "\(type)".lowercased()
        default: "a value of type \(type)"
        }
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
