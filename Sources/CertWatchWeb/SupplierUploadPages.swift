import CertWatchCore
import CertWatchRequests
import CertWatchServer
import Foundation
import Hummingbird

/// `/upload/{token}`: the page a supplier opens from a certificate request's email. No account
/// and no session: the token in the path is the capability, so no cookie is set or read and no
/// form token is asked. It names who asks and what, takes the files, and says what was
/// received; it shows nothing else of the registry, and no link into the site.
struct SupplierUploadPages {
    let uploads: SupplierUploads
    let views: Views
    let trustedProxies: Set<String>
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<WebRequestContext>) {
        group.get("upload/{token}", use: show)
        group.post("upload/{token}", use: upload)
    }

    /// One optional file part per kind a request may ask for.
    struct Upload: Decodable, Sendable {
        var organicCertificate: UploadedFile?
        var importCertificate: UploadedFile?

        enum CodingKeys: String, CodingKey {
            case organicCertificate = "file_organic_certificate"
            case importCertificate = "file_import_certificate"
        }

        var files: [SupplierUploads.File] {
            [(DocumentKind.organicCertificate, organicCertificate), (.importCertificate, importCertificate)].compactMap { kind, part in
                part.map { SupplierUploads.File(kind: kind, fileName: $0.fileName, bytes: $0.bytes) }
            }
        }
    }

    @Sendable func show(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let token = try page.parameters.require("token")
        switch try await uploads.open(token: token, clientAddress: page.clientAddress(request, trusting: trustedProxies)) {
        case .open(let opened): return form(opened, token: token, error: nil)
        case let other: return unavailable(other)
        }
    }

    @Sendable func upload(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let token = try page.parameters.require("token")
        let address = page.clientAddress(request, trusting: trustedProxies)
        let opened: SupplierUploads.Page
        switch try await uploads.openForUpload(token: token, clientAddress: address) {
        case .open(let page): opened = page
        case let other: return unavailable(other)
        }
        let posted: Upload
        do {
            posted = try await Forms.readMultipart(Upload.self, request, limit: opened.maxBytes * opened.kinds.count + 64 * 1_024)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return form(opened, token: token, error: "The files are larger than this page takes. Nothing was received.", status: .contentTooLarge)
        } catch is PageError {
            return form(opened, token: token, error: "The upload was not the form this page sends. Nothing was received.", status: .badRequest)
        }
        do {
            let receipt = try await uploads.receive(token: token, files: posted.files)
            return respond(views.page("supplier-upload-received", Self.frame("Received"), ReceivedContent(opened, receipt)))
        } catch is SupplierUploads.LinkClosed {
            return unavailable(try await uploads.open(token: token, clientAddress: address))
        } catch let refusal as SupplierUploads.Refusal {
            let status: HTTPResponse.Status
            switch refusal {
            case .tooLarge: status = .contentTooLarge
            case .notAcceptedType: status = .unsupportedMediaType
            case .nothingSent, .notRequested: status = .unprocessableContent
            }
            return form(opened, token: token, error: refusal.description + " Nothing was received.", status: status)
        }
    }

    private func form(_ opened: SupplierUploads.Page, token: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        respond(views.page("supplier-upload", Self.frame("Send documents to \(opened.handlerName)"),
                           UploadContent(opened, token: token, error: error), status: status))
    }

    /// The page of a link that does not work: unknown (404), no longer working (410), or refused for now (429).
    private func unavailable(_ opened: SupplierUploads.Opened) -> Response {
        let handler = uploads.handlerName
        let (status, message): (HTTPResponse.Status, String) = switch opened {
        case .closed(.answered): (.gone, "The documents asked for through this link were received. Nothing more is needed through it.")
        case .closed(.withdrawn): (.gone, "\(handler) withdrew this request. If you still need to send documents, ask them for a new link.")
        case .closed(.expired): (.gone, "This request expired. If you still need to send documents, ask \(handler) for a new link.")
        case .closed: (.gone, "This request is closed. If you still need to send documents, ask \(handler) for a new link.")
        case .limited(let until): (.tooManyRequests, "Too many uploads came from here or through this link. Try again after \(until.utcMinuteText).")
        case .unknown, .open: (.notFound, "This link is not known. Check that the whole link from the email was copied.")
        }
        let heading = status == .tooManyRequests ? "Please wait" : "This link does not work"
        var response = respond(views.page("error", Self.frame(heading), ErrorContent(heading: heading, message: message), status: status))
        if case .limited(let until) = opened {
            response.headers[.retryAfter] = "\(max(1, Int(until.timeIntervalSince(now()).rounded(.up))))"
        }
        return response
    }

    /// The link is in the address: no page it leads to is told where the visitor came from.
    private func respond(_ response: Response) -> Response {
        var response = response
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    static func frame(_ title: String) -> Frame {
        var frame = Frame(title: title)
        frame.bare = true
        return frame
    }
}

struct UploadContent: Sendable {
    struct Field: Sendable {
        var name: String
        var id: String
        var label: String
    }

    var handlerName: String
    var supplierName: String
    var asked: String
    var fields: [Field]
    var expires: String
    var maxSize: String
    var token: String
    var error: String?

    init(_ page: SupplierUploads.Page, token: String, error: String?) {
        handlerName = page.handlerName
        supplierName = page.supplierName
        asked = page.kinds.map(\.words).joined(separator: " and ")
        fields = page.kinds.map { kind in
            Field(name: "file_" + kind.rawValue, id: "file-" + kind.rawValue.replacingOccurrences(of: "_", with: "-"),
                  label: "Your " + kind.words + " (PDF, PNG or JPEG)")
        }
        expires = page.expiresAt.utcMinuteText
        maxSize = ByteCountFormatter.string(fromByteCount: Int64(page.maxBytes), countStyle: .file)
        self.token = token
        self.error = error
    }
}

struct ReceivedContent: Sendable {
    struct Row: Sendable {
        var kind: String
        var name: String
        var size: String
        var sha256: String
        var at: String
    }

    var handlerName: String
    var supplierName: String
    var rows: [Row]
    /// What was sent but not filed: its request closed meanwhile.
    var notFiled: String?
    /// What the link still asks for; nil when nothing more is needed through it.
    var stillOpen: String?

    init(_ page: SupplierUploads.Page, _ receipt: SupplierUploads.Receipt) {
        handlerName = page.handlerName
        supplierName = page.supplierName
        notFiled = receipt.notFiled.isEmpty ? nil : receipt.notFiled.map(\.words).joined(separator: " and ")
        stillOpen = receipt.stillOpen.isEmpty ? nil : receipt.stillOpen.map(\.words).joined(separator: " and ")
        rows = receipt.received.map {
            Row(kind: $0.kind.words.prefix(1).uppercased() + $0.kind.words.dropFirst(), name: $0.fileName ?? $0.type.fileExtension.uppercased(),
                size: ByteCountFormatter.string(fromByteCount: Int64($0.byteCount), countStyle: .file), sha256: $0.sha256, at: $0.at.utcMinuteText)
        }
    }
}
