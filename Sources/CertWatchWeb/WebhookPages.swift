import CertWatchCore
import CertWatchJobs
import CertWatchNotify
import CertWatchStore
import Foundation
import Hummingbird

/// `/admin/webhooks`: endpoints (add, test, rotate the secret, disable and enable) and each
/// endpoint's delivery log with redeliver. Secrets are shown once, when made.
struct WebhookPages {
    let context: PageContext

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("webhooks", use: list)
        admin.post("webhooks", use: create)
        admin.get("webhooks/{id}", use: show)
        admin.post("webhooks/{id}/test", use: test)
        admin.post("webhooks/{id}/rotate", use: rotate)
        admin.post("webhooks/{id}/enable", use: enable)
        admin.post("webhooks/{id}/disable", use: disable)
        admin.post("webhooks/deliveries/{delivery}/redeliver", use: redeliver)
    }

    var endpoints: WebhookEndpointStore { context.stores.webhookEndpoints }
    var outbox: DeliveryStore { context.stores.deliveries }

    struct EndpointRow: Sendable {
        var id: String
        var url: String
        var description: String?
        var events: String
        var enabled: Bool
        var state: String
    }

    struct ListContent: Sendable {
        var endpoints: [EndpointRow]
        var url = ""
        var description = ""
        var urlError: String?
        var eventTypes: [String] = WebhookEvent.types
    }

    struct DetailContent: Sendable {
        struct DeliveryRow: Sendable {
            var id: String
            var event: String
            var status: String
            var attempts: Int
            var created: String
            var last: String?
        }
        var endpoint: EndpointRow
        var secret: String?
        var notice: String?
        var deliveries: [DeliveryRow]
    }

    struct CreateForm: PostedForm {
        var csrf: String?
        var url: String?
        var description: String?
    }

    @Sendable func list(_ request: Request, context page: WebRequestContext) async throws -> Response {
        context.views.page("webhooks", try page.frame("Webhooks", section: .webhooks), ListContent(endpoints: try await rows()))
    }

    /// Checked by the same destination policy as the API: only public addresses unless
    /// `webhooks.allowPrivateNetworks`. The new endpoint's page shows its secret once.
    @Sendable func create(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let form = try await Forms.decode(CreateForm.self, request, page)
        let url = (form.url ?? "").trimmingCharacters(in: .whitespaces)
        let description = (form.description ?? "").trimmingCharacters(in: .whitespaces)
        let registered: WebhookRegistry.WithSecret
        do {
            registered = try await context.deps.webhooks.register(url: url, description: description.isEmpty ? nil : description,
                                                                  eventTypes: [], at: context.now())
        } catch let failure as ValidationFailure {
            return context.views.page("webhooks", try page.frame("Webhooks: correct the form", section: .webhooks),
                                      ListContent(endpoints: try await rows(), url: url, description: description, urlError: failure.errors.first { $0.field == "url" }?.message ?? failure.description),
                                      status: .unprocessableContent)
        }
        return try await detail(page, registered.endpoint.id, secret: registered.secret, notice: "Endpoint added. Give its secret to the receiver now: it is shown this once.",
                                status: .created)
    }

    @Sendable func show(_ request: Request, context page: WebRequestContext) async throws -> Response {
        try await detail(page, try page.parameters.require("id"))
    }

    @Sendable func test(_ request: Request, context page: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let endpoint = try await endpoint(page)
        _ = try await context.deps.webhooks.queueTest(to: endpoint.id, at: context.now())
        return try await detail(page, endpoint.id, notice: "A test event is queued; its delivery shows below.", status: .accepted)
    }

    /// The new secret signs at once; the old one keeps signing for `webhooks.secretOverlapHours`.
    @Sendable func rotate(_ request: Request, context page: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let endpoint = try await endpoint(page)
        let now = context.now()
        let webhooks = context.deps.webhooks
        guard let rotated = try await webhooks.rotateSecret(of: endpoint.id, at: now) else { throw PageError.notFound("webhook endpoint \(endpoint.id)") }
        return try await detail(page, endpoint.id, secret: rotated.secret,
                                notice: "New secret made; the old one keeps signing until \(now.addingTimeInterval(webhooks.secretOverlap).utcMinuteText).")
    }

    @Sendable func enable(_ request: Request, context page: WebRequestContext) async throws -> Response {
        try await setEnabled(true, page, request)
    }

    @Sendable func disable(_ request: Request, context page: WebRequestContext) async throws -> Response {
        try await setEnabled(false, page, request)
    }

    @Sendable func redeliver(_ request: Request, context page: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let id = try page.parameters.require("delivery")
        guard let delivery = try await outbox.redeliver(id, at: context.now()) else { throw PageError.notFound("delivery \(id)") }
        return try await detail(page, delivery.destination, notice: "Delivery \(id) starts over with the same webhook-id.", status: .accepted)
    }

    private func setEnabled(_ enabled: Bool, _ page: WebRequestContext, _ request: Request) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let endpoint = try await endpoint(page)
        _ = try await endpoints.update(endpoint.id, WebhookEndpointStore.Changes(enabled: enabled), at: context.now())
        return try await detail(page, endpoint.id, notice: enabled ? "Enabled." : "Disabled: no event is sent to it until it is enabled.")
    }

    private func endpoint(_ page: WebRequestContext) async throws -> WebhookEndpoint {
        let id = try page.parameters.require("id")
        guard let endpoint = try await endpoints.get(id) else { throw PageError.notFound("webhook endpoint \(id)") }
        return endpoint
    }

    private func detail(_ page: WebRequestContext, _ id: String, secret: String? = nil, notice: String? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let endpoint = try await endpoints.get(id) else { throw PageError.notFound("webhook endpoint \(id)") }
        let deliveries = try await outbox.list(DeliveryStore.Query(channel: .webhook, destination: id, limit: 50)).items.map {
            DetailContent.DeliveryRow(id: $0.id, event: $0.eventType, status: $0.status.rawValue, attempts: $0.attempts,
                                      created: $0.createdAt.utcMinuteText,
                                      last: $0.lastError ?? $0.lastStatus.map { "HTTP \($0)" })
        }
        return context.views.page("webhook", try page.frame("Webhook \(endpoint.url)", section: .webhooks),
                                  DetailContent(endpoint: Self.row(endpoint), secret: secret, notice: notice, deliveries: deliveries), status: status)
    }

    private func rows() async throws -> [EndpointRow] {
        try await endpoints.list().map(Self.row)
    }

    static func row(_ endpoint: WebhookEndpoint) -> EndpointRow {
        EndpointRow(id: endpoint.id, url: endpoint.url, description: endpoint.description,
                    events: endpoint.eventTypes.isEmpty ? "all events" : endpoint.eventTypes.joined(separator: ", "), enabled: endpoint.enabled,
                    state: endpoint.enabled ? "enabled" : "disabled" + (endpoint.disabledReason.map { ": \($0)" } ?? ""))
    }
}
