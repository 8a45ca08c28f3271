import CertWatchCore
import CertWatchNotify
import CertWatchStore
import Foundation

/// Turns each new alert into its deliveries — one per enabled webhook endpoint that wants its
/// type and, when email is configured, one per recipient — and marks it fanned out, in one
/// transaction. Expiry alerts wait for the recipient's next daily digest; the others go now.
public enum AlertFanOut {
    /// Where alert emails go. Nil when no SMTP server is configured.
    ///
    /// Reads: `alerts.recipients`, `alerts.digestAt`, `schedule.timeZone` (for recipients whose
    /// supplier names no time zone).
    public struct EmailRouting: Sendable {
        public var recipients: [String]
        public var digestAt: TimeOfDay
        public var timeZone: TimeZone

        public init(recipients: [String], digestAt: TimeOfDay, timeZone: TimeZone) {
            self.recipients = recipients
            self.digestAt = digestAt
            self.timeZone = timeZone
        }
    }

    static let batchSize = 500

    /// Fans out every alert not fanned out yet; returns how many deliveries it created.
    @discardableResult
    public static func run(database: Database, email: EmailRouting?, now: Date = Date()) async throws -> Int {
        let outbox = DeliveryStore(database: database)
        var created = 0
        while true {
            let alerts = try await outbox.unfannedAlerts(limit: batchSize)
            if alerts.isEmpty { return created }
            let endpoints = try await WebhookEndpointStore(database: database).list()
            // Suppliers are read only for their contacts and time zone, which only email needs.
            let suppliers = email == nil ? [] : try await SupplierStore(database: database).get(ids: Array(Set(alerts.compactMap(\.supplierId))))
            let byId = Dictionary(suppliers.map { ($0.supplier.id, $0.supplier) }, uniquingKeysWith: { first, _ in first })
            let deliveries = try alerts.flatMap { alert in
                try plan(alert, endpoints: endpoints, supplier: alert.supplierId.flatMap { byId[$0] }, email: email, now: now)
            }
            created += try await outbox.enqueue(deliveries, fanningOut: alerts.map(\.id), at: now).count
        }
    }

    /// The deliveries one alert needs. A withdrawn alert needs none; an endpoint created after the
    /// alert does not get it.
    static func plan(_ alert: Alert, endpoints: [WebhookEndpoint], supplier: Supplier?, email: EmailRouting?, now: Date) throws -> [NewDelivery] {
        guard alert.withdrawnAt == nil else { return [] }
        let type = alert.kind.rawValue
        let payload = try WebhookEvent(type: type, timestamp: alert.createdAt, data: alert.data).json()
        var deliveries = endpoints.filter { $0.enabled && $0.wants(type) && $0.createdAt <= alert.createdAt }.map {
            NewDelivery(alertId: alert.id, eventType: type, channel: .webhook, destination: $0.id, payload: payload, due: now)
        }
        guard let email else { return deliveries }
        let digested = alert.kind == .certificateExpiring || alert.kind == .certificateExpired
        let supplierZone = supplier?.timeZone.flatMap(TimeZone.init(identifier:)) ?? email.timeZone
        var seen = Set<String>()
        let recipients = (supplier?.contactEmails ?? []).map { ($0, supplierZone) } + email.recipients.map { ($0, email.timeZone) }
        for (address, zone) in recipients where seen.insert(address.lowercased()).inserted {
            let due = digested ? email.digestAt.nextOccurrence(atOrAfter: now, in: zone) : now
            deliveries.append(NewDelivery(alertId: alert.id, eventType: type, channel: .email, destination: address, payload: payload, due: due))
        }
        return deliveries
    }
}
