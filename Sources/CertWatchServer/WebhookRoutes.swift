import CertWatchCore
import CertWatchJobs
import CertWatchStore
import Foundation
import Hummingbird

/// `/v1/webhook-endpoints` and `/v1/deliveries`: where signed webhooks go, and what happened to
/// each one. A secret is shown once, when it is made.
struct WebhookRoutes {
    let endpoints: WebhookEndpointStore
    let outbox: DeliveryStore
    let registry: WebhookRegistry

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("webhook-endpoints", use: list)
        group.post("webhook-endpoints", use: create)
        group.get("webhook-endpoints/{id}", use: show)
        group.patch("webhook-endpoints/{id}", use: update)
        group.delete("webhook-endpoints/{id}", use: delete)
        group.post("webhook-endpoints/{id}/rotate-secret", use: rotate)
        group.post("webhook-endpoints/{id}/test", use: test)
        group.get("webhook-endpoints/{id}/deliveries", use: deliveries)
        group.get("deliveries/{id}", use: delivery)
        group.post("deliveries/{id}/redeliver", use: redeliver)
    }

    struct EndpointInput: Decodable {
        var url: String?
        var description: String?
        var eventTypes: [String]?
        var enabled: Bool?
        /// Fields sent as `null`: a change cannot mean them (leave a field out to keep it).
        var nulls: [String] = []

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url, description, eventTypes, enabled
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decodeIfPresent(String.self, forKey: .url)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            eventTypes = try container.decodeIfPresent([String].self, forKey: .eventTypes)
            enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
            nulls = try CodingKeys.allCases.filter { key in try container.contains(key) && container.decodeNil(forKey: key) }.map(\.rawValue)
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(EndpointInput.self, from: request, context: context)
        guard let url = input.url else {
            throw Problem.validation(ValidationFailure([FieldError(field: "url", message: "is required")]))
        }
        let registered = try await validating { try await registry.register(url: url, description: input.description, eventTypes: input.eventTypes ?? []) }
        var response = try JSONBody.response(EndpointResponse(registered.endpoint, secret: registered.secret), status: .created)
        response.headers[.location] = "/v1/webhook-endpoints/\(registered.endpoint.id)"
        return response
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(PageResponse(items: try await endpoints.list().map { EndpointResponse($0) }, nextCursor: nil))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(EndpointResponse(try await endpoint(context)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let input = try await JSONBody.decode(EndpointInput.self, from: request, context: context)
        guard input.nulls.isEmpty else {
            throw Problem.validation(ValidationFailure(input.nulls.map { FieldError(field: $0, message: "may not be null; leave it out to keep it") }))
        }
        let changes = try await validating {
            try await registry.validated(url: input.url, description: input.description, eventTypes: input.eventTypes, enabled: input.enabled)
        }
        guard let updated = try await endpoints.update(id, changes) else { throw Problem.notFound("webhook endpoint \(id)") }
        return try JSONBody.response(EndpointResponse(updated))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await endpoints.delete(id) else { throw Problem.notFound("webhook endpoint \(id)") }
        return Response(status: .noContent)
    }

    /// The new secret signs at once; the old one keeps signing for the overlap, so a receiver
    /// can switch without losing a message.
    @Sendable func rotate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let rotated = try await registry.rotateSecret(of: id) else { throw Problem.notFound("webhook endpoint \(id)") }
        return try JSONBody.response(EndpointResponse(rotated.endpoint, secret: rotated.secret))
    }

    /// Queues a `webhook.test` message; the delivery worker sends it like any other.
    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let queued = try await registry.queueTest(to: id) else { throw Problem.notFound("webhook endpoint \(id)") }
        return try JSONBody.response(DeliveryResponse(queued), status: .accepted)
    }

    @Sendable func deliveries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let endpoint = try await endpoint(context)
        let params = request.queryValues
        var query = DeliveryStore.Query(channel: .webhook, destination: endpoint.id, cursor: params["cursor"].map(String.init))
        var errors: [FieldError] = []
        if let status = params["status"] {
            query.status = DeliveryStatus(rawValue: String(status))
            if query.status == nil {
                errors.append(FieldError(field: "status", message: "must be one of \(DeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if let limit = ListLimit.parse(params, max: DeliveryStore.Query.maxLimit, errors: &errors) { query.limit = limit }
        guard errors.isEmpty else { throw Problem.validation(ValidationFailure(errors)) }
        let page = try await outbox.list(query)
        return try JSONBody.response(PageResponse(items: page.items.map { DeliveryResponse($0) }, nextCursor: page.nextCursor))
    }

    @Sendable func delivery(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let found = try await outbox.get(id) else { throw Problem.notFound("delivery \(id)") }
        return try JSONBody.response(DeliveryResponse(found.delivery, log: found.attempts))
    }

    /// Starts the delivery over with the same `webhook-id`, whatever its state.
    @Sendable func redeliver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let delivery = try await outbox.redeliver(id) else { throw Problem.notFound("delivery \(id)") }
        return try JSONBody.response(DeliveryResponse(delivery), status: .accepted)
    }

    private func endpoint(_ context: AppRequestContext) async throws -> WebhookEndpoint {
        let id = try context.parameters.require("id")
        guard let endpoint = try await endpoints.get(id) else { throw Problem.notFound("webhook endpoint \(id)") }
        return endpoint
    }

    /// Runs a registry action, answering its `ValidationFailure` with 422.
    private func validating<T>(_ action: () async throws -> T) async throws -> T {
        do { return try await action() } catch let failure as ValidationFailure { throw Problem.validation(failure) }
    }
}
