import CertWatchServer
import CertWatchStore
import Hummingbird
import HummingbirdAuth

/// The context of a page request: the API's context (for its logger and storage) plus the
/// session, and the key and form token once `PageAuthenticator` has accepted the session.
struct WebRequestContext: ChildRequestContext, SessionRequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions: SessionContext<WebSession>
    var key: APIKey?
    var csrfToken: String?

    init(context: AppRequestContext) throws {
        self.coreContext = context.coreContext
        self.sessions = SessionContext()
    }

    /// Form posts are small; the CSV upload reads its own, larger limit.
    var maxUploadSize: Int { BodyLimits.json }

    /// The signed-in key; `PageAuthenticator` guarantees one on the routes behind it.
    var signedIn: APIKey {
        get throws {
            guard let key else { throw PageError.signInRequired }
            return key
        }
    }
}
