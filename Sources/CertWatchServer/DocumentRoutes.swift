import CertWatchCore
import CertWatchDocuments
import CertWatchStore
import Foundation
import Hummingbird
import MultipartKit

/// Documents on file: upload one for a supplier (the file as the body, or `multipart/form-data`
/// with `file` and `kind`), list a supplier's, download one. The type is read from the bytes.
struct DocumentRoutes {
    let documents: DocumentStore
    /// Files an upload and reads it against the supplier's record.
    let review: DocumentReview
    let suppliers: SupplierStore
    /// `documents.maxBytes`: a larger upload answers 413.
    let maxBytes: Int
    /// Deletes only what has outlived `retention.years`.
    let retention: RetentionStore
    let activity: ActivityLog

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("suppliers/{id}/documents", use: upload)
        group.get("suppliers/{id}/documents", use: list)
        group.get("documents/{documentId}/content", use: content)
        group.delete("documents/{documentId}", use: delete)
    }

    struct Upload: Decodable {
        var file: UploadedFile
        var kind: String?
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await suppliers.get(id: id) != nil else { throw Problem.notFound("supplier \(id)") }
        // Read one byte past the limit so that "too large" is told apart from "exactly the limit".
        let body = try await JSONBody.collect(request, limit: maxBytes + 64 * 1_024)
        var bytes = Array(buffer: body)
        let query = FormQuery(request)
        var kindText = query["kind"]
        var fileName = query["fileName"]
        if let contentType = request.headers[.contentType], let boundary = MultipartBoundary.of(contentType) {
            guard MultipartBoundary.headerNamesAreASCII(body, boundary: boundary) else {
                throw Problem.badRequest("a part's header name holds a byte that is not ASCII")
            }
            do {
                let upload = try FormDataDecoder().decode(Upload.self, from: body, boundary: boundary)
                bytes = upload.file.bytes
                kindText = upload.kind ?? kindText
                fileName = fileName ?? upload.file.fileName
            } catch {
                throw Problem.badRequest("a multipart upload needs a part named file (and may have kind): \(error)")
            }
        }
        guard bytes.count <= maxBytes else {
            throw Problem(.contentTooLarge, "document-too-large", title: "Document too large",
                          detail: "the document has \(bytes.count) bytes; documents.maxBytes allows \(maxBytes)")
        }
        // A kind in the query must be one even when a part names the kind that is used.
        guard let kindText, let kind = DocumentKind(rawValue: kindText), query["kind"].map({ DocumentKind(rawValue: $0) != nil }) ?? true else {
            throw Problem.validation(ValidationFailure([FieldError(
                field: "kind", message: "must be one of \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))")]))
        }
        do {
            let (document, reading) = try await review.file(supplierId: id, kind: kind, fileName: fileName, bytes: bytes,
                                                            uploadedBy: context.apiKey?.name ?? "unknown")
            try await activity.append(actor: context.actor, action: "document.uploaded", subject: id,
                                      detail: "\(kind.rawValue) \(document.sha256)")
            var response = try JSONBody.response(DocumentResponse(document, reading: reading), status: .created)
            response.headers[.location] = "/v1/documents/\(document.id)/content"
            return response
        } catch let refusal as DocumentStore.Refusal {
            throw Problem(.unsupportedMediaType, "document-type", title: "Not a PDF, PNG or JPEG", detail: refusal.description)
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let listed = try await documents.list(supplierId: id)
        if listed.isEmpty, try await suppliers.get(id: id) == nil { throw Problem.notFound("supplier \(id)") }
        let readings = try await documents.readings(documentIds: listed.map(\.id))
        return try JSONBody.response(PageResponse(items: listed.map { DocumentResponse($0, reading: readings[$0.id]) }, nextCursor: nil))
    }

    /// 204 once the document has been kept `retention.years`; 409 with the day it may go before.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("documentId")
        switch try await retention.deleteDocument(id: id) {
        case .deleted:
            try await activity.append(actor: context.actor, action: "document.deleted", subject: nil, detail: "document \(id)")
            return Response(status: .noContent)
        case .notFound:
            throw Problem.notFound("document \(id)")
        case .kept(let until):
            var problem = Problem(.conflict, "retention", title: "Kept for the retention period",
                                  detail: "documents are kept \(retention.period.years) years (retention.years); this one may be deleted from \(until)")
            problem.deletableFrom = until
            throw problem
        }
    }

    /// The stored bytes as an attachment of the stored type, never sniffed by the browser.
    @Sendable func content(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("documentId")
        guard let document = try await documents.get(id: id), let data = try await documents.content(of: document) else {
            throw Problem.notFound("document \(id)")
        }
        return DocumentDownload.response(document, data)
    }
}

/// A document's bytes as a download, for the API and the web page alike: an attachment of the
/// stored type that a browser never sniffs into something else.
public enum DocumentDownload {
    public static func response(_ document: StoredDocument, _ data: Data) -> Response {
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        response.headers[.contentType] = document.type.rawValue
        response.headers[.contentDisposition] = "attachment; filename=\"\(fileName(document))\""
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }

    /// The name a download is saved under: the uploaded name, else kind and digest.
    public static func fileName(_ document: StoredDocument) -> String {
        document.fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "\(document.kind.rawValue)-\(document.sha256.prefix(12)).\(document.type.fileExtension)"
    }

}

/// What reading a document found: `read` (cross-checked), `no_text` or `not_read`, and the findings.
struct ReadingResponse: Encodable {
    var status: String
    var detail: String?
    var findings: [DocumentFinding]
    var readAt: Date

    init(_ reading: DocumentReading) {
        status = reading.status.rawValue
        detail = reading.detail
        findings = reading.findings
        readAt = reading.readAt
    }

    func encode(to encoder: any Encoder) throws {
        enum Keys: String, CodingKey { case status, detail, findings, readAt }
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(status, forKey: .status)
        try c.encode(detail, forKey: .detail)
        try c.encode(findings, forKey: .findings)
        try c.encode(readAt, forKey: .readAt)
    }
}

/// A document as the API lists it.
struct DocumentResponse: Encodable {
    var id: String
    var supplierId: String
    var kind: String
    var fileName: String?
    var sha256: String
    var contentType: String
    var byteCount: Int
    var uploadedAt: Date
    var uploadedBy: String
    var contentUrl: String
    var reading: DocumentReading?

    init(_ document: StoredDocument, reading: DocumentReading?) {
        self.reading = reading
        id = document.id
        supplierId = document.supplierId
        kind = document.kind.rawValue
        fileName = document.fileName
        sha256 = document.sha256
        contentType = document.type.rawValue
        byteCount = document.byteCount
        uploadedAt = document.uploadedAt
        uploadedBy = document.uploadedBy
        contentUrl = "/v1/documents/\(document.id)/content"
    }

    func encode(to encoder: any Encoder) throws {
        enum Keys: String, CodingKey { case id, supplierId, kind, fileName, sha256, contentType, byteCount, uploadedAt, uploadedBy, contentUrl, reading }
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(supplierId, forKey: .supplierId)
        try c.encode(kind, forKey: .kind)
        try c.encode(fileName, forKey: .fileName)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(byteCount, forKey: .byteCount)
        try c.encode(uploadedAt, forKey: .uploadedAt)
        try c.encode(uploadedBy, forKey: .uploadedBy)
        try c.encode(contentUrl, forKey: .contentUrl)
        try c.encode(reading.map(ReadingResponse.init), forKey: .reading)
    }
}
