import CertWatchCore
import CertWatchDocuments
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird
import MultipartKit

/// Documents on the supplier's page: admins file one (multipart upload, the same store and
/// checks as the API), everyone signed in downloads them.
struct DocumentPages {
    let context: PageContext

    func register(on group: RouterGroup<WebRequestContext>, admin: RouterGroup<WebRequestContext>) {
        group.get("documents/{id}", use: download)
        admin.post("suppliers/{id}/documents", use: upload)
    }

    struct Upload: PostedForm {
        var csrf: String?
        var file: UploadedFile?
        var kind: String?
    }

    @Sendable func download(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let id = try page.parameters.require("id")
        let store = context.stores.documents
        guard let document = try await store.get(id: id), let data = try await store.content(of: document) else {
            throw PageError.notFound("document \(id)")
        }
        return DocumentDownload.response(document, data)
    }

    @Sendable func upload(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let id = try page.parameters.require("id")
        guard try await context.stores.suppliers.get(id: id) != nil else { throw PageError.notFound("supplier \(id)") }
        let limit = context.deps.documentMaxBytes
        let upload = try await Forms.decodeMultipart(Upload.self, request, page, limit: limit + 64 * 1_024)
        let bytes = upload.file?.bytes ?? []
        let problem: String?
        if bytes.count > limit {
            problem = "The file has \(bytes.count) bytes; at most \(limit) are accepted."
        } else if let kind = upload.kind.flatMap(DocumentKind.init(rawValue:)) {
            do {
                let (document, _) = try await context.stores.documentReview.file(
                    supplierId: id, kind: kind, fileName: upload.file?.fileName, bytes: bytes, uploadedBy: try page.signedIn.askedBy)
                try await context.record(page, "document.uploaded", subject: id, detail: "\(kind.rawValue) \(document.sha256)")
                return .seeOther("/suppliers/\(id)#documents-h")
            } catch let refusal as DocumentStore.Refusal {
                problem = Formatting.sentence(refusal.description)
            }
        } else {
            problem = "Choose what the document is."
        }
        return context.views.page("error", try page.frame("Document not filed"),
                                  ErrorContent(heading: "Document not filed", message: (problem ?? "") + " Nothing was stored."),
                                  status: bytes.count > limit ? .contentTooLarge : .unprocessableContent)
    }
}
