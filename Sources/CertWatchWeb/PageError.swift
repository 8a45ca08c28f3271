import Hummingbird

/// Why a page is not shown; `PageErrorMiddleware` turns each into its page.
struct PageError: Error {
    enum Kind: Sendable {
        /// Not signed in, or the session ended: the sign-in page, then back here.
        case signInRequired
        /// Signed in as a purchaser or auditor on an admin page.
        case adminOnly
        /// An admin who must use two-step sign-in and has not set it up: their own page first.
        case twoStepRequired
        /// A role that only reads (auditor) sent a form that writes.
        case readOnly
        /// A state-changing form without this session's token.
        case formExpired
        /// A body that is not the form the page sends (malformed, or not multipart where it must be).
        case unreadableForm
        case notFound(String)
        case failed(String)
    }

    var kind: Kind
    /// Who is signed in, so the error page keeps the navigation.
    var user: SignedInUser?

    static let signInRequired = PageError(kind: .signInRequired)
    static let adminOnly = PageError(kind: .adminOnly)
    static let readOnly = PageError(kind: .readOnly)
    static let formExpired = PageError(kind: .formExpired)
    static let unreadableForm = PageError(kind: .unreadableForm)
    static func notFound(_ what: String) -> PageError { PageError(kind: .notFound(what)) }
}

/// Renders errors as pages: a redirect to sign in, the 403, 404 and 500 pages. Any other error
/// is logged and shown as a 500 without its details.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PageError {
            return response(error, request)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return views.page("error", Frame(title: "Too large"), ErrorContent(heading: "Too large",
                message: "The upload is larger than this page accepts."), status: .contentTooLarge)
        } catch {
            context.logger.error("page \(Self.loggable(request.uri.path)) failed: \(error)")
            return response(PageError(kind: .failed(String(describing: error))), request)
        }
    }

    /// The path as logs may show it: a one-time link's token never reaches them.
    static func loggable(_ path: String) -> String {
        for prefix in ["/set-password/", "/upload/"] where path.hasPrefix(prefix) { return prefix + "…" }
        return path
    }

    private func response(_ error: PageError, _ request: Request) -> Response {
        let frame = { (title: String) in Frame(title: title, user: error.user) }
        switch error.kind {
        case .signInRequired:
            let path = request.uri.path
            let next = request.method == .get && path != "/" ? "?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "-", "_", "."])) ?? "") : ""
            return Response.seeOther("/sign-in" + next)
        case .adminOnly:
            return views.page("error", frame("Not allowed"), ErrorContent(heading: "Not allowed",
                message: "This page is for admins. You are signed in as \(error.user?.role ?? "someone else")."), status: .forbidden)
        case .readOnly:
            return views.page("error", frame("Not allowed"), ErrorContent(heading: "Not allowed",
                message: "Auditors read; they do not change anything or run checks. Nothing was changed."), status: .forbidden)
        case .twoStepRequired:
            return Response.seeOther("/account?two-step=required")
        case .formExpired:
            return views.page("error", frame("Form expired"), ErrorContent(heading: "Form expired",
                message: "The form was not sent from this session's page, or the session changed. Nothing was changed. Open the page again and resend it."),
                status: .forbidden)
        case .unreadableForm:
            return views.page("error", frame("Form not readable"), ErrorContent(heading: "Form not readable",
                message: "The request was not the form this page sends. Nothing was changed. Open the page again and resend it."),
                status: .badRequest)
        case .notFound(let what):
            return views.page("error", frame("Not found"), ErrorContent(heading: "Not found", message: "There is no \(what)."), status: .notFound)
        case .failed:
            return views.page("error", frame("Something went wrong"), ErrorContent(heading: "Something went wrong",
                message: "The page could not be shown. The error was logged; try again, or tell the operator."), status: .internalServerError)
        }
    }
}

struct ErrorContent: Sendable {
    var heading: String
    var message: String
}

extension Response {
    /// 303: after a form post, the browser loads the answer with GET.
    static func seeOther(_ location: String) -> Response {
        var response = Response(status: .seeOther)
        response.headers[.location] = location
        return response
    }
}
