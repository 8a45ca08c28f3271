import CertWatchCore
import Foundation
import SQLKit

/// An alert as kept: created once per key, withdrawn when a renewal makes it moot.
public struct Alert: Sendable, Equatable {
    public var id: String
    public var key: String
    public var kind: AlertKind
    public var supplierId: String?
    public var governingDate: CalendarDate?
    public var thresholdDays: Int?
    public var createdAt: Date
    public var withdrawnAt: Date?
    public var data: AlertData
}

/// Creates alerts exactly once and lists them. A second scan, a second replica or a restart that
/// plans the same alert hits the unique key and creates nothing.
public struct AlertStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// An alert to create.
    public struct NewAlert: Sendable {
        public var key: String
        public var kind: AlertKind
        public var supplierId: String?
        public var governingDate: CalendarDate?
        public var thresholdDays: Int?
        public var data: AlertData

        public static func expiry(_ planned: PlannedExpiryAlert, supplier: AlertData.SupplierRef) -> NewAlert {
            NewAlert(key: "\(planned.kind.rawValue)|\(planned.supplierId)|\(planned.thresholdDays)|\(planned.governing.date)",
                     kind: planned.kind, supplierId: planned.supplierId, governingDate: planned.governing.date,
                     thresholdDays: planned.thresholdDays, data: .expiry(planned, supplier: supplier))
        }

        public static func statusChange(_ data: AlertData) -> NewAlert {
            NewAlert(key: "\(AlertKind.statusChanged.rawValue)|\(data.verificationId ?? "")", kind: .statusChanged,
                     supplierId: data.supplier?.id, data: data)
        }

        public static func verificationFailed(_ data: AlertData) -> NewAlert {
            NewAlert(key: "\(AlertKind.verificationFailed.rawValue)|\(data.runId ?? "")", kind: .verificationFailed, data: data)
        }
    }

    /// Creates the alerts not created before and returns those it created.
    @discardableResult
    public func raise(_ alerts: [NewAlert], at now: Date) async throws -> [Alert] {
        guard !alerts.isEmpty else { return [] }
        return try await database.transaction { try await Self.insert(alerts, at: now, on: $0) }
    }

    /// The insert itself, for callers that must commit alerts with the change they report.
    static func insert(_ alerts: [NewAlert], at now: Date, on db: any SQLDatabase) async throws -> [Alert] {
        var created: [Alert] = []
        for planned in alerts.chunked(SupplierWriter.rowsPerStatement) {
            // Most planned alerts exist already (a daily scan re-plans the whole window): skip
            // them before encoding anything. The unique key still decides a race.
            let existing = Set(try await db.select().column("alert_key").from("alerts").where("alert_key", .in, planned.map(\.key)).all()
                .map { try $0.decode(column: "alert_key", as: String.self) })
            let chunk = planned.filter { !existing.contains($0.key) }
            guard !chunk.isEmpty else { continue }
            var insert = db.insert(into: "alerts").columns(
                "id", "alert_key", "kind", "supplier_id", "governing_date", "threshold_days", "created_at", "data")
            var byId: [String: NewAlert] = [:]
            for alert in chunk {
                let id = RecordID.make()
                byId[id] = alert
                insert = insert.values(id, alert.key, alert.kind.rawValue, alert.supplierId, alert.governingDate?.description,
                                       alert.thresholdDays, Timestamp.format(now), try JSONText.encode(alert.data))
            }
            let ids = try await insert.ignoringConflicts(with: ["alert_key"]).returning("id").all()
                .map { try $0.decode(column: "id", as: String.self) }
            for id in ids {
                guard let alert = byId[id] else { continue }
                created.append(Alert(id: id, key: alert.key, kind: alert.kind, supplierId: alert.supplierId,
                                     governingDate: alert.governingDate, thresholdDays: alert.thresholdDays, createdAt: now,
                                     withdrawnAt: nil, data: alert.data))
            }
        }
        return created.sorted { $0.id < $1.id }
    }

    /// Withdraws the expiry alerts whose governing date is no longer the supplier's, or whose
    /// supplier is no longer certified: a renewed certificate starts a new ladder, and a
    /// suspension is reported by its own alert. Their undelivered deliveries are withdrawn with
    /// them. Returns how many alerts were withdrawn.
    @discardableResult
    public func withdrawStale(at now: Date) async throws -> Int {
        try await database.transaction { db in
            let withdrawn = try await db.raw("""
                UPDATE alerts SET withdrawn_at = \(bind: Timestamp.format(now))
                WHERE withdrawn_at IS NULL AND kind IN ('certificate.expiring', 'certificate.expired')
                AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.supplier_id = alerts.supplier_id
                    AND c.status_code = 'certified' AND COALESCE(c.valid_to, c.anniversary_date) = alerts.governing_date)
                RETURNING id
                """).all().map { try $0.decode(column: "id", as: String.self) }
            // What was not delivered yet is not sent: the old date no longer governs.
            for chunk in withdrawn.chunked(SupplierWriter.rowsPerStatement) {
                try await db.update("deliveries").set("status", to: DeliveryStatus.withdrawn.rawValue)
                    .where("status", .equal, DeliveryStatus.pending.rawValue).where("alert_id", .in, chunk).run()
            }
            return withdrawn.count
        }
    }

    /// Which alerts a list shows, newest first.
    public struct Query: Sendable, Equatable {
        public var kind: AlertKind?
        public var supplierId: String?
        public var limit: Int
        /// The `nextCursor` of the previous page.
        public var cursor: String?

        public static let maxLimit = 500

        public init(kind: AlertKind? = nil, supplierId: String? = nil, limit: Int = 50, cursor: String? = nil) {
            self.kind = kind
            self.supplierId = supplierId
            self.limit = limit
            self.cursor = cursor
        }
    }

    public func list(_ query: Query) async throws -> (items: [Alert], nextCursor: String?) {
        try await database.withConnection { db in
            var select = db.select().column("*").from("alerts")
            if let kind = query.kind { select = select.where("kind", .equal, kind.rawValue) }
            if let id = query.supplierId { select = select.where("supplier_id", .equal, id) }
            // Ids are time-ordered, so the id alone is the keyset.
            if let cursor = query.cursor { select = select.where("id", .lessThan, cursor) }
            let rows = try await select.orderBy("id", .descending).limit(query.limit + 1).all()
            let alerts = try rows.prefix(query.limit).map(Self.alert)
            return (alerts, rows.count > query.limit ? alerts.last?.id : nil)
        }
    }

    static func alert(_ row: any SQLRow) throws -> Alert {
        let kind = try row.decode(column: "kind", as: String.self)
        let created = try row.decode(column: "created_at", as: String.self)
        return Alert(
            id: try row.decode(column: "id", as: String.self),
            key: try row.decode(column: "alert_key", as: String.self),
            kind: try AlertKind(rawValue: kind) ?? { throw CorruptRow(column: "alerts.kind", value: kind) }(),
            supplierId: try row.decode(column: "supplier_id", as: String?.self),
            governingDate: try row.decode(column: "governing_date", as: String?.self).flatMap(CalendarDate.init(iso:)),
            thresholdDays: try row.decode(column: "threshold_days", as: Int?.self),
            createdAt: try Timestamp.parse(created) ?? { throw CorruptRow(column: "alerts.created_at", value: created) }(),
            withdrawnAt: try row.decode(column: "withdrawn_at", as: String?.self).flatMap(Timestamp.parse),
            data: try JSONText.decode(AlertData.self, from: row.decode(column: "data", as: String.self)))
    }
}
