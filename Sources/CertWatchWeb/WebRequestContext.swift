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
    /// The address of the connection (a proxy's, behind one).
    let remoteAddress: String

    init(context: AppRequestContext) throws {
        self.coreContext = context.coreContext
        self.sessions = SessionContext()
        self.remoteAddress = context.remoteAddress
    }

    /// The client's address as sign-in failures and uploads are counted per (`ClientAddress`:
    /// an IPv6 address by its /64): the connection's, or, when it comes from a trusted proxy
    /// (`http.trustedProxies`), the last address in `X-Forwarded-For` that is not one (what a
    /// client sends itself stands left of what the proxies added).
    func clientAddress(_ request: Request, trusting trustedProxies: Set<String>) -> String {
        guard trustedProxies.contains(remoteAddress), let forwarded = request.headers[.xForwardedFor] else {
            return ClientAddress.counted(remoteAddress)
        }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return ClientAddress.counted(hops.last { !trustedProxies.contains($0) } ?? remoteAddress)
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
