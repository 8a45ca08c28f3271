import CertWatchServer
import CertWatchStore
import Hummingbird
import HummingbirdAuth

/// The context of a page request: the API's context (for its logger and storage) plus the
/// session, and who is signed in and the form token once `PageAuthenticator` has accepted the
/// session.
struct WebRequestContext: ChildRequestContext, SessionRequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions: SessionContext<WebSession>
    var principal: Principal?
    var csrfToken: String?
    /// The client's address (sign-in failures are counted per address).
    let remoteAddress: String

    init(context: AppRequestContext) throws {
        self.coreContext = context.coreContext
        self.sessions = SessionContext()
        self.remoteAddress = context.remoteAddress
    }

    /// Form posts are small; the CSV upload reads its own, larger limit.
    var maxUploadSize: Int { BodyLimits.json }

    /// Who is signed in; `PageAuthenticator` guarantees someone on the routes behind it.
    var signedIn: Principal {
        get throws {
            guard let principal else { throw PageError.signInRequired }
            return principal
        }
    }
}
