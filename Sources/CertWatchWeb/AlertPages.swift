import CertWatchCore
import CertWatchStore
import CertWatchServer
import Foundation
import Hummingbird

/// `/admin/alerts`: alerts as raised, newest first, with what was sent for each.
struct AlertPages {
    let context: PageContext

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("alerts", use: list)
    }

    struct Content: Sendable {
        struct Row: Sendable {
            var at: String
            var kind: String
            var supplierId: String?
            var supplierName: String?
            var detail: String
            var withdrawn: String?
        }
        var alerts: [Row]
        var nextLink: String?
        var kinds: [Option]
    }

    struct Option: Sendable {
        var value: String
        var selected: Bool
    }

    @Sendable func list(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let params = FormQuery(request)
        let kind = params["kind"].flatMap(AlertKind.init(rawValue:))
        let result = try await context.stores.alerts
            .list(AlertStore.Query(kind: kind, limit: 50, cursor: params["cursor"]))
        let rows = result.items.map { alert in
            Content.Row(at: alert.createdAt.utcMinuteText, kind: alert.kind.rawValue, supplierId: alert.supplierId,
                        supplierName: alert.data.supplier?.name,
                        detail: [alert.governingDate.map { "governing date \($0)" }, alert.thresholdDays.map { "\($0)-day notice" }]
                            .compactMap { $0 }.joined(separator: ", "),
                        withdrawn: alert.withdrawnAt?.utcMinuteText)
        }
        var next: String?
        if let cursor = result.nextCursor {
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "cursor", value: cursor)] + (kind.map { [URLQueryItem(name: "kind", value: $0.rawValue)] } ?? [])
            next = "/admin/alerts?" + (components.percentEncodedQuery ?? "")
        }
        let content = Content(alerts: rows, nextLink: next,
                              kinds: AlertKind.allCases.map { Option(value: $0.rawValue, selected: $0 == kind) })
        return context.views.page("alerts", try page.frame("Alerts", section: .alerts), content)
    }
}
