import CertWatchCore
import CertWatchGate
import CertWatchStore
import Foundation
import Hummingbird
import NIOCore

/// `/v1/purchase-checks`: ask the gate (purchasers may), and read back what was asked and answered.
struct PurchaseCheckRoutes {
    let gate: PurchaseGate
    let checks: PurchaseCheckStore

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("purchase-checks", use: check)
        group.get("purchase-checks", use: list)
        group.get("purchase-checks/{checkId}", use: show)
    }

    /// `{supplierId | nopOperationId, product, date?, importCertificate?, quantity?, unit?}`: 201 with the decision, also for block and
    /// review; the answer is kept in the audit log under `checkId`.
    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(PurchaseCheckRequest.self, from: request, context: context)
        let check = try await gate.check(try body.question(askedBy: context.apiKey?.name ?? "unknown"))
        return Response(status: .created, headers: [.contentType: "application/json", .location: "/v1/purchase-checks/\(check.id)"],
                        body: .init(byteBuffer: ByteBuffer(bytes: PurchaseCheckResponse(check: check).json)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = request.queryValues
        var query = PurchaseCheckStore.Query(
            supplierId: params["supplierId"].map(String.init), askedBy: params["askedBy"].map(String.init),
            cursor: params["cursor"].map(String.init))
        var errors: [FieldError] = []
        if let decision = params["decision"] {
            query.decision = PurchaseDecision(rawValue: String(decision))
            if query.decision == nil { errors.append(FieldError(field: "decision", message: "must be allow, block or review")) }
        }
        for (name, keyPath) in [("since", \PurchaseCheckStore.Query.since), ("until", \.until)] {
            guard let text = params[Substring(name)], !text.isEmpty else { continue }  // `until=` is no bound
            query[keyPath: keyPath] = CalendarDate(input: String(text))
            if query[keyPath: keyPath] == nil { errors.append(FieldError(field: name, message: "expected \(CalendarDate.inputRule)")) }
        }
        if let limit = ListLimit.parse(params, max: PurchaseCheckStore.Query.maxLimit, errors: &errors) { query.limit = limit }
        guard errors.isEmpty else { throw Problem.validation(ValidationFailure(errors)) }
        do {
            let page = try await checks.list(query)
            return try JSONBody.response(PageResponse(items: page.items.map(PurchaseCheckResponse.init), nextCursor: page.nextCursor))
        } catch let error as InvalidCursor {
            throw Problem.badRequest(error.description)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("checkId")
        guard let check = try await checks.check(id: id) else { throw Problem.notFound("purchase check \(id)") }
        return try JSONBody.response(PurchaseCheckResponse(check: check))
    }
}

/// The body of `POST /v1/purchase-checks`.
struct PurchaseCheckRequest: Decodable {
    var supplierId: String?
    var nopOperationId: String?
    var product: String
    var date: CalendarDate?
    var importCertificate: String?
    var quantity: Double?
    var unit: String?

    func question(askedBy: String) throws -> PurchaseGate.Question {
        let (reference, field): (SupplierReference?, String) = switch (supplierId, nopOperationId) {
        case (let id?, nil): (.id(id), "supplierId")
        case (nil, let nop?): (.nopOperationId(nop), "nopOperationId")
        default: (nil, "supplierId")
        }
        do {
            return try .validated(supplier: reference, supplierField: field, missingSupplier: "give exactly one of supplierId and nopOperationId",
                                  product: product, date: date, askedBy: askedBy,
                                  lot: .init(importCertificate: importCertificate, quantity: quantity, unit: unit))
        } catch {
            throw Problem.validation(error)
        }
    }
}
