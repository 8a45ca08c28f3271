import CertWatchCore
import Foundation
import Hummingbird

/// An error answered as RFC 9457 `application/problem+json`, with a field-level list for
/// validation errors so a client can point at what to fix.
public struct Problem: Error, HTTPResponseError, Encodable, Sendable {
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String?
    public var errors: [FieldError]?
    /// A record kept for the retention period: the first day it may be deleted.
    public var deletableFrom: CalendarDate?
    /// 405: the methods the path is served for, sent as `Allow`.
    public var allow: String?

    public init(_ status: HTTPResponse.Status, _ slug: String, title: String, detail: String? = nil, errors: [FieldError]? = nil) {
        self.type = "/problems/\(slug)"
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    enum Keys: String, CodingKey { case type, title, status, detail, errors, deletableFrom }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(type, forKey: .type)
        try c.encode(title, forKey: .title)
        try c.encode(status.code, forKey: .status)
        try c.encodeIfPresent(detail, forKey: .detail)
        try c.encodeIfPresent(errors, forKey: .errors)
        try c.encodeIfPresent(deletableFrom, forKey: .deletableFrom)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let allow { headers[.allow] = allow }
        let body = try JSONEncoder.api.encode(self)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Problem {
    /// Work a request would start cannot: this process is stopping; another replica can take it.
    static func shuttingDown(_ what: String) -> Problem {
        Problem(.serviceUnavailable, "shutting-down", title: "Shutting down", detail: "the server is stopping; \(what) on another replica")
    }

    static func validation(_ failure: ValidationFailure, title: String = "The request has invalid fields") -> Problem {
        Problem(.unprocessableContent, "validation", title: title, detail: failure.description, errors: failure.errors)
    }

    static func notFound(_ what: String) -> Problem {
        Problem(.notFound, "not-found", title: "Not found", detail: "\(what) does not exist")
    }

    static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, "bad-request", title: "Bad request", detail: detail)
    }
}

extension JSONEncoder {
    /// The API's JSON: ISO-8601 instants, sorted keys so answers diff cleanly.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
