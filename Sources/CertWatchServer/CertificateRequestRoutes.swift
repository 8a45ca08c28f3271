import CertWatchCore
import CertWatchRequests
import CertWatchStore
import Foundation
import Hummingbird

/// `/v1/suppliers/{id}/certificate-requests` (admins ask, everyone who reads suppliers lists)
/// and `/v1/certificate-requests/{id}/withdraw`: the same `CertificateRequests` the page and the
/// CLI call.
struct CertificateRequestRoutes {
    let requests: CertificateRequests
    let suppliers: SupplierStore

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("suppliers/{id}/certificate-requests", use: create)
        group.get("suppliers/{id}/certificate-requests", use: list)
        group.post("certificate-requests/{id}/withdraw", use: withdraw)
    }

    /// The body of a request: all optional. `showLink` returns the link too (for sending it by
    /// hand, or when email is not configured).
    struct Body: Decodable {
        var kinds: [DocumentKind]?
        var recipients: [String]?
        var showLink: Bool?
    }

    struct Created: Encodable {
        var requests: [CertificateRequestResponse]
        var emailedTo: [String]
        var link: String?
        var emailError: String?

        enum Keys: String, CodingKey { case requests, emailedTo, link, emailError }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(requests, forKey: .requests)
            try c.encode(emailedTo, forKey: .emailedTo)
            try c.encode(link, forKey: .link)
            try c.encode(emailError, forKey: .emailError)
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(Body.self, from: request, context: context)
        do {
            let sent = try await requests.request(supplierId: id, kinds: body.kinds, recipients: body.recipients, by: context.actor,
                                                  showLink: body.showLink ?? false)
            return try JSONBody.response(Created(requests: sent.requests.map(CertificateRequestResponse.init), emailedTo: sent.emailedTo,
                                                 link: sent.link, emailError: sent.emailError), status: .created)
        } catch let refusal as CertificateRequests.Refusal {
            throw Self.problem(refusal)
        }
    }

    /// A deleted supplier's requests are still listed (evidence outlives the record); an id that
    /// never had a supplier or a request is 404.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let listed = try await requests.list(supplierId: id)
        if listed.isEmpty, try await suppliers.get(id: id) == nil { throw Problem.notFound("supplier \(id)") }
        return try JSONBody.response(PageResponse(items: listed.map(CertificateRequestResponse.init), nextCursor: nil))
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        if let withdrawn = try await requests.withdraw(id: id, by: context.actor) {
            return try JSONBody.response(CertificateRequestResponse(withdrawn))
        }
        guard let existing = try await requests.store.get(id: id) else { throw Problem.notFound("certificate request \(id)") }
        throw Problem(.conflict, "request-closed", title: "The request is closed",
                      detail: "certificate request \(id) is \(existing.state.rawValue); only an open request can be withdrawn")
    }

    static func problem(_ refusal: CertificateRequests.Refusal) -> Problem {
        let detail = refusal.description
        return switch refusal {
        case .supplierNotFound(let id): Problem.notFound("supplier \(id)")
        case .notRequestable: Problem.validation(ValidationFailure([FieldError(field: "kinds", message: detail)]))
        case .badRecipient, .tooManyRecipients: Problem.validation(ValidationFailure([FieldError(field: "recipients", message: detail)]))
        case .noRecipients: Problem(.unprocessableContent, "no-recipients", title: "Nobody to ask", detail: detail)
        case .noHandlerName, .noPublicURL, .noMail: Problem(.conflict, "requests-not-configured", title: "Requests are not configured", detail: detail)
        case .alreadyOpen: Problem(.conflict, "request-open", title: "A request is already open", detail: detail)
        case .emailFailed: Problem(.badGateway, "email-failed", title: "The email was not sent", detail: detail)
        }
    }
}

/// A certificate request as the API and the inspector export show it; absent values are `null`.
public struct CertificateRequestResponse: Encodable {
    var request: CertificateRequest

    public init(_ request: CertificateRequest) {
        self.request = request
    }

    enum Keys: String, CodingKey {
        case id, supplierId, kind, state, origin, recipients, requestedBy, createdAt, expiresAt, emailsSent, nextEmailAt, closedAt, closedBy
        case documentId
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(request.id, forKey: .id)
        try c.encode(request.supplierId, forKey: .supplierId)
        try c.encode(request.kind, forKey: .kind)
        try c.encode(request.state, forKey: .state)
        try c.encode(request.origin, forKey: .origin)
        try c.encode(request.recipients, forKey: .recipients)
        try c.encode(request.requestedBy, forKey: .requestedBy)
        try c.encode(request.createdAt, forKey: .createdAt)
        try c.encode(request.expiresAt, forKey: .expiresAt)
        try c.encode(request.emailsSent, forKey: .emailsSent)
        try c.encode(request.nextEmailAt, forKey: .nextEmailAt)
        try c.encode(request.closedAt, forKey: .closedAt)
        try c.encode(request.closedBy, forKey: .closedBy)
        try c.encode(request.documentId, forKey: .documentId)
    }
}
