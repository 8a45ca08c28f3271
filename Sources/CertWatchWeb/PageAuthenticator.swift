import CertWatchAccounts
import CertWatchStore
import Foundation
import Hummingbird

/// Accepts a session only while both its lifetimes hold and whoever signed in with it still may:
/// the account active (looked up on every request, so disabling it ends its sessions at their
/// next request, besides deleting them), or the key unrevoked and key sign-in still offered. A
/// session that fails is cleared, which deletes it on the server and expires the cookie. An
/// admin who must use two-step sign-in and has not set it up reaches only their own page.
struct PageAuthenticator: RouterMiddleware {
    typealias Context = WebRequestContext
    let keys: APIKeyStore
    let accounts: Accounts
    let keySignIn: KeySignInPolicy
    let settings: WebSettings
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let session = context.sessions.session, session.signedIn else { throw PageError.signInRequired }
        let now = now()
        guard now < session.signedInAt.addingTimeInterval(seconds(settings.sessionLifetime)),
              now < session.lastSeenAt.addingTimeInterval(seconds(settings.sessionIdle)),
              let principal = try await principal(of: session)
        else {
            context.sessions.clearSession()
            throw PageError.signInRequired
        }
        if now.timeIntervalSince(session.lastSeenAt) >= 60 {
            context.sessions.withLockedSession { $0?.lastSeenAt = now }
        }
        var context = context
        context.principal = principal
        context.csrfToken = session.csrfToken
        let user = SignedInUser(principal, csrf: session.csrfToken)
        if let account = principal.account, !request.uri.path.hasPrefix("/account"), try await accounts.mustSetUpTwoStep(account) {
            throw PageError(kind: .twoStepRequired, user: user)
        }
        do {
            return try await next(request, context)
        } catch var error as PageError {
            error.user = error.user ?? user
            throw error
        } catch let error as HTTPError {
            throw error
        } catch {
            context.logger.error("page \(PageErrorMiddleware.loggable(request.uri.path)) failed: \(error)")
            throw PageError(kind: .failed(String(describing: error)), user: user)
        }
    }

    private func principal(of session: WebSession) async throws -> Principal? {
        if let accountId = session.accountId {
            guard let account = try await accounts.store.account(id: accountId), account.state == .active,
                  account.sessionsValidFrom.map({ session.signedInAt >= $0 }) ?? true else { return nil }
            return Principal(account: account)
        }
        guard let keyId = session.keyId, try await keySignIn.offered(), let key = try await keys.activeKey(id: keyId) else { return nil }
        return Principal(key: key)
    }

    private func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds)
    }
}

/// Admin pages: a purchaser or an auditor gets the 403 page.
struct AdminOnly: RouterMiddleware {
    typealias Context = WebRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard try context.signedIn.role == .admin else { throw PageError.adminOnly }
        return try await next(request, context)
    }
}

/// Whether the page offers signing in with an API key now (`web.keySignIn`).
struct KeySignInPolicy: Sendable {
    let mode: KeySignIn
    let accounts: AccountStore

    func offered() async throws -> Bool {
        switch mode {
        case .on: true
        case .off: false
        case .auto: try await accounts.activeCount() == 0
        }
    }
}
