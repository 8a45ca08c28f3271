import CertWatchStore
import CertWatchServer
import Foundation
import Hummingbird

/// Sign in with an API key (posted once, never put in a URL or a page) and sign out, which
/// deletes the session on the server.
struct SignInPages {
    let keys: APIKeyStore
    let sessions: WebSessionStore
    let views: Views
    let settings: WebSettings
    let now: @Sendable () -> Date

    func register(on pages: RouterGroup<WebRequestContext>) {
        pages.get("sign-in", use: form)
        pages.post("sign-in", use: signIn)
        pages.post("sign-out", use: signOut)
    }

    struct Content: Sendable {
        var next: String
        var error: String?
        var expired: Bool
    }

    struct SignInForm: Decodable {
        var key: String?
        var next: String?
    }

    @Sendable func form(_ request: Request, context: WebRequestContext) async throws -> Response {
        let next = Self.localPath(FormQuery(request)["next"])
        return views.page("sign-in", Frame(title: "Sign in"), Content(next: next, error: nil, expired: false))
    }

    @Sendable func signIn(_ request: Request, context: WebRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: body))) ?? SignInForm()
        let next = Self.localPath(form.next)
        let secret = (form.key ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty, let key = try await keys.authenticate(secret) else {
            return views.page("sign-in", Frame(title: "Sign in"),
                              Content(next: next, error: "That key is unknown or revoked.", expired: false), status: .unauthorized)
        }
        // Sign-ins are rare, so they also clear away sessions that have expired (an index serves it).
        try await sessions.purgeExpired()
        let now = now()
        // A new session id on every sign-in, so a session id known before sign-in is worthless.
        context.sessions.createSession(WebSession(keyId: key.id, csrfToken: WebSession.newToken(), signedInAt: now, lastSeenAt: now),
                                       expiresIn: settings.sessionLifetime)
        return .seeOther(next)
    }

    @Sendable func signOut(_ request: Request, context: WebRequestContext) async throws -> Response {
        if let session = context.sessions.session {
            var context = context
            context.csrfToken = session.csrfToken
            _ = try await Forms.decode(TokenOnlyForm.self, request, context)
            context.sessions.clearSession()
        }
        return .seeOther("/sign-in")
    }

    /// Where to go after signing in: only a path on this site, never another origin.
    /// `next` as a path on this site, or `/`. The text is first cleaned as the URL standard has a
    /// browser clean it (tabs and newlines removed anywhere, leading and trailing controls and
    /// spaces trimmed), so `/<TAB>/evil.example` is judged as the `//evil.example` a browser would
    /// follow. Then it must be one slash and a path: no second slash or backslash after it (also
    /// percent-encoded), no control characters, and no longer than a URL a person writes.
    static func localPath(_ text: String?) -> String {
        guard let text, text.utf8.count <= 2_048 else { return "/" }
        let scalars = text.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let cleaned = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: Self.controlOrSpace)
        let decoded = cleaned.removingPercentEncoding ?? cleaned
        for form in [cleaned, decoded] {
            guard form.hasPrefix("/"), !form.dropFirst().hasPrefix("/"), !form.dropFirst().hasPrefix("\\"), !form.contains("\\"),
                  !form.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return "/" }
        }
        return cleaned
    }

    /// C0 controls and space: what the URL standard trims from both ends.
    private static let controlOrSpace = CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x20))
}
