import CertWatchStore
import Foundation
import Hummingbird

/// Accepts a session only while both its lifetimes hold and its key is still active (looked up
/// on every request, so revoking a key ends its sessions at their next request). A session that
/// fails is cleared, which deletes it on the server and expires the cookie.
struct PageAuthenticator: RouterMiddleware {
    typealias Context = WebRequestContext
    let keys: APIKeyStore
    let settings: WebSettings
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let session = context.sessions.session else { throw PageError.signInRequired }
        let now = now()
        guard now < session.signedInAt.addingTimeInterval(seconds(settings.sessionLifetime)),
              now < session.lastSeenAt.addingTimeInterval(seconds(settings.sessionIdle)),
              let key = try await keys.activeKey(id: session.keyId)
        else {
            context.sessions.clearSession()
            throw PageError.signInRequired
        }
        if now.timeIntervalSince(session.lastSeenAt) >= 60 {
            context.sessions.withLockedSession { $0?.lastSeenAt = now }
        }
        var context = context
        context.key = key
        context.csrfToken = session.csrfToken
        do {
            return try await next(request, context)
        } catch var error as PageError {
            error.user = error.user ?? SignedInUser(key: key, csrf: session.csrfToken)
            throw error
        } catch let error as HTTPError {
            throw error
        } catch {
            context.logger.error("page \(request.uri.path) failed: \(error)")
            throw PageError(kind: .failed(String(describing: error)), user: SignedInUser(key: key, csrf: session.csrfToken))
        }
    }

    private func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds)
    }
}

/// Admin pages: a purchaser key gets the 403 page.
struct AdminOnly: RouterMiddleware {
    typealias Context = WebRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard try context.signedIn.role == .admin else { throw PageError.adminOnly }
        return try await next(request, context)
    }
}
