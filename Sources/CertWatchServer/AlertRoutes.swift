import CertWatchCore
import CertWatchStore
import Foundation
import Hummingbird

/// `GET /v1/alerts`: the alerts created so far, newest first.
struct AlertRoutes {
    let alerts: AlertStore

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("alerts", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = request.queryValues
        var query = AlertStore.Query(supplierId: params["supplierId"].map(String.init), cursor: params["cursor"].map(String.init))
        var errors: [FieldError] = []
        if let type = params["type"] {
            query.kind = AlertKind(rawValue: String(type))
            if query.kind == nil {
                errors.append(FieldError(field: "type", message: "must be one of \(AlertKind.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if let limit = ListLimit.parse(params, max: AlertStore.Query.maxLimit, errors: &errors) { query.limit = limit }
        guard errors.isEmpty else { throw Problem.validation(ValidationFailure(errors)) }
        let page = try await alerts.list(query)
        return try JSONBody.response(PageResponse(items: page.items.map(AlertResponse.init), nextCursor: page.nextCursor))
    }
}

/// An alert as the API shows it; `type` and `data` are what its webhook sends.
public struct AlertResponse: Encodable {
    public var alert: Alert

    public init(alert: Alert) {
        self.alert = alert
    }

    enum Keys: String, CodingKey { case id, type, createdAt, supplierId, governingDate, thresholdDays, withdrawnAt, data }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(alert.id, forKey: .id)
        try c.encode(alert.kind.rawValue, forKey: .type)
        try c.encode(alert.createdAt, forKey: .createdAt)
        try c.encode(alert.supplierId, forKey: .supplierId)
        try c.encode(alert.governingDate, forKey: .governingDate)
        try c.encode(alert.thresholdDays, forKey: .thresholdDays)
        try c.encode(alert.withdrawnAt, forKey: .withdrawnAt)
        try c.encode(alert.data, forKey: .data)
    }
}
