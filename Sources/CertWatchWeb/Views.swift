import CertWatchCore
import CertWatchStore
import Crypto
import Foundation
import Hummingbird
import Mustache

/// The page templates (swift-mustache, HTML-escaped by default) and the stylesheet, loaded once
/// from the module's resources. Every page renders inside `layout.mustache`.
struct Views: Sendable {
    let library: MustacheLibrary
    let stylesheet: Stylesheet

    init() async throws {
        guard let templates = Bundle.module.resourceURL?.appendingPathComponent("templates"),
              let css = Bundle.module.url(forResource: "style", withExtension: "css", subdirectory: "static")
        else { throw ViewsError(message: "the web page's templates are missing from the CertWatch resources") }
        library = try await MustacheLibrary(directory: templates.path)
        stylesheet = try Stylesheet(file: css)
    }

    /// `template` rendered with `content`, inside the layout that `frame` describes.
    func page(_ template: String, _ frame: Frame, _ content: some Sendable, status: HTTPResponse.Status = .ok) -> Response {
        let model = PageModel(frame: frame, stylesheet: stylesheet.path, content: content)
        guard let html = library.render(model, withTemplate: template) else {
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "missing template \(template)")))
        }
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: html)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        return response
    }
}

struct ViewsError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// What the layout shows around every page: its title, who is signed in, and which main
/// navigation entry is the current page (`aria-current`). Templates see stored properties only.
struct Frame: Sendable {
    var title: String
    var user: SignedInUser?
    var inDashboard = false
    var inSuppliers = false
    var inCheck = false
    var inImport = false
    var inImportCertificates = false
    var inFraudNotices = false
    var inAlerts = false
    var inWebhooks = false
    var inJobs = false
    var inKeys = false
    var inPeople = false
    var inAccount = false
    /// A path on this site the page moves on to by itself (`<meta http-equiv="refresh">`).
    var refresh: String?
    /// A page for someone outside the company (a supplier's upload page): no link into the site.
    var bare = false

    enum Section: Sendable { case none, dashboard, suppliers, check, importing, importCertificates, fraudNotices, alerts, webhooks, jobs, keys, people, account }

    init(title: String, user: SignedInUser? = nil, section: Section = .none, refresh: String? = nil) {
        self.title = title
        self.user = user
        self.refresh = refresh
        switch section {
        case .none: break
        case .dashboard: inDashboard = true
        case .suppliers: inSuppliers = true
        case .check: inCheck = true
        case .importing: inImport = true
        case .importCertificates: inImportCertificates = true
        case .fraudNotices: inFraudNotices = true
        case .alerts: inAlerts = true
        case .webhooks: inWebhooks = true
        case .jobs: inJobs = true
        case .keys: inKeys = true
        case .people: inPeople = true
        case .account: inAccount = true
        }
    }
}

/// Who is signed in as the layout shows it, with the form token for the sign-out form.
struct SignedInUser: Sendable {
    var name: String
    var role: String
    var isAdmin: Bool
    /// A person (not a key): the layout links to their own page.
    var isPerson: Bool
    var csrf: String

    init(_ principal: Principal, csrf: String) {
        name = principal.displayName
        role = principal.role.rawValue
        isAdmin = principal.role == .admin
        isPerson = principal.account != nil
        self.csrf = csrf
    }
}

struct PageModel<Content: Sendable>: Sendable {
    var frame: Frame
    var stylesheet: String
    var content: Content
}

extension WebRequestContext {
    /// The frame of a signed-in page.
    func frame(_ title: String, section: Frame.Section = .none) throws -> Frame {
        Frame(title: title, user: SignedInUser(try signedIn, csrf: csrfToken ?? ""), section: section)
    }
}

/// The one stylesheet, served under a name that carries its content hash, so it can be cached
/// for a year and a new release is fetched at once.
struct Stylesheet: Sendable {
    let bytes: ByteBuffer
    let path: String

    init(file: URL) throws {
        let data = try Data(contentsOf: file)
        bytes = ByteBuffer(bytes: data)
        path = "/assets/style." + SHA256.hash(data: data).hexString.prefix(12) + ".css"
    }

    func response(for requestedPath: String) -> Response {
        guard requestedPath == path else { return Response(status: .notFound) }
        var response = Response(status: .ok, body: .init(byteBuffer: bytes))
        response.headers[.contentType] = "text/css; charset=utf-8"
        response.headers[.cacheControl] = "public, max-age=31536000, immutable"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
