import CertWatchServer
import Crypto
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A posted form: every state-changing form carries the session's token in `csrf`.
protocol PostedForm: Decodable, Sendable {
    var csrf: String? { get }
}

enum Forms {
    /// Decodes a URL-encoded form and checks its token: a form without this session's token is
    /// refused before anything happens.
    static func decode<Form: PostedForm>(_ type: Form.Type, _ request: Request, _ context: WebRequestContext) async throws -> Form {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form: Form
        do {
            form = try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        } catch {
            throw PageError.unreadableForm
        }
        try checkToken(form.csrf, context)
        return form
    }

    /// Decodes a `multipart/form-data` upload (multipart-kit) of at most `limit` bytes, checking its token.
    static func decodeMultipart<Form: PostedForm>(_ type: Form.Type, _ request: Request, _ context: WebRequestContext, limit: Int) async throws -> Form {
        let form = try await readMultipart(Form.self, request, limit: limit)
        try checkToken(form.csrf, context)
        return form
    }

    /// Decodes a `multipart/form-data` body of at most `limit` bytes without a session's token:
    /// only for a page whose path carries its capability (a supplier's upload link).
    static func readMultipart<Form: Decodable>(_ type: Form.Type, _ request: Request, limit: Int) async throws -> Form {
        guard let contentType = request.headers[.contentType], let boundary = MultipartBoundary.of(contentType) else {
            throw PageError.unreadableForm
        }
        let body = try await request.body.collect(upTo: limit)
        guard MultipartBoundary.headerNamesAreASCII(body, boundary: boundary) else { throw PageError.unreadableForm }
        do {
            return try FormDataDecoder().decode(Form.self, from: body, boundary: boundary)
        } catch {
            throw PageError.unreadableForm
        }
    }

    static func checkToken(_ sent: String?, _ context: WebRequestContext) throws {
        guard let sent, let expected = context.csrfToken,
              Data(SHA256.hash(data: Data(sent.utf8))) == Data(SHA256.hash(data: Data(expected.utf8)))
        else { throw PageError.formExpired }
    }
}

/// A form that only proves it came from this session's page (sign out, revoke, run now).
struct TokenOnlyForm: PostedForm {
    var csrf: String?
}
