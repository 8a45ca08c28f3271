import CertWatchStore
import Foundation
import Hummingbird

/// `/admin/keys`: the API keys (which also sign in to this page). A new key is shown once;
/// revoking one ends its sessions at their next request.
struct KeyPages {
    let context: PageContext
    let keys: APIKeyStore

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("keys", use: list)
        admin.post("keys", use: create)
        admin.post("keys/{name}/revoke", use: revoke)
    }

    struct Content: Sendable {
        struct Row: Sendable {
            var name: String
            var role: String
            var prefix: String
            var created: String
            var revoked: String?
        }
        var keys: [Row]
        var newSecret: String?
        var newName: String?
        var name = ""
        var nameError: String?
        var notice: String?
    }

    struct CreateForm: PostedForm {
        var csrf: String?
        var name: String?
        var role: String?
    }

    @Sendable func list(_ request: Request, context page: WebRequestContext) async throws -> Response {
        try await render(page, Content(keys: try await rows()))
    }

    @Sendable func create(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let form = try await Forms.decode(CreateForm.self, request, page)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        var content = Content(keys: [], name: name)
        // No `@`: a key's name stands for it in the audit record, where an address names a person.
        if name.isEmpty || name.count > 100 || name.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) {
            content.nameError = "Give the key a name of 1 to 100 characters without spaces, slashes or @, e.g. the system that uses it."
        }
        let role = Role(rawValue: form.role ?? "") ?? .purchaser
        if content.nameError == nil {
            do {
                let (key, secret) = try await keys.create(name: name, role: role)
                try await context.record(page, "key.created", subject: key.name, detail: role.rawValue)
                content.newSecret = secret
                content.newName = key.name
                content.name = ""
            } catch StoreError.duplicateKeyName(_) {
                content.nameError = "A key named \(name) exists already."
            }
        }
        content.keys = try await rows()
        return try await render(page, content, status: content.nameError == nil ? .created : .unprocessableContent)
    }

    @Sendable func revoke(_ request: Request, context page: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let name = try page.parameters.require("name")
        let revoked = try await keys.revoke(name: name)
        if revoked { try await context.record(page, "key.revoked", subject: name) }
        return try await render(page, Content(keys: try await rows(), notice: revoked ? "Revoked \(name): it signs in nowhere from now on." : "No active key is named \(name)."))
    }

    private func rows() async throws -> [Content.Row] {
        try await keys.list().map {
            Content.Row(name: $0.name, role: $0.role.rawValue, prefix: $0.prefix, created: $0.createdAt.utcMinuteText, revoked: $0.revokedAt?.utcMinuteText)
        }
    }

    private func render(_ page: WebRequestContext, _ content: Content, status: HTTPResponse.Status = .ok) async throws -> Response {
        context.views.page("keys", try page.frame("API keys", section: .keys), content, status: status)
    }
}
