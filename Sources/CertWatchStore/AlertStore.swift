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

        /// The unique key of a planned expiry alert: kind, supplier, threshold, governing date.
        public static func key(_ planned: PlannedExpiryAlert) -> String {
            "\(planned.kind.rawValue)|\(planned.supplierId)|\(planned.thresholdDays)|\(planned.governing.date)"
        }

        public static func expiry(_ planned: PlannedExpiryAlert, supplier: AlertData.SupplierRef) -> NewAlert {
            NewAlert(key: key(planned),
                     kind: planned.kind, supplierId: planned.supplierId, governingDate: planned.governing.date,
                     thresholdDays: planned.thresholdDays, data: .expiry(planned, supplier: supplier))
        }

        public static func statusChange(_ data: AlertData) -> NewAlert {
            NewAlert(key: "\(AlertKind.statusChanged.rawValue)|\(data.verificationId ?? "")", kind: .statusChanged,
                     supplierId: data.supplier?.id, data: data)
        }

        public static func documentMismatch(_ data: AlertData) -> NewAlert {
            NewAlert(key: "\(AlertKind.documentMismatch.rawValue)|\(data.documentId ?? "")", kind: .documentMismatch,
                     supplierId: data.supplier?.id, data: data)
        }

        public static func documentReceived(_ data: AlertData) -> NewAlert {
            NewAlert(key: "\(AlertKind.documentReceived.rawValue)|\(data.documentId ?? "")|\(data.requestId ?? "")", kind: .documentReceived,
                     supplierId: data.supplier?.id, data: data)
        }

        public static func fraudNotice(_ data: AlertData) -> NewAlert {
            NewAlert(key: "\(AlertKind.fraudNotice.rawValue)|\(data.supplier?.id ?? "")|\(data.noticeId ?? "")", kind: .fraudNotice,
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

    /// An expiry alert not withdrawn: what the scan compares with the certificates.
    public struct ActiveExpiry: Sendable, Equatable {
        public var key: String
        public var supplierId: String?
        public var governingDate: CalendarDate?
    }

    /// Every expiry alert not withdrawn, in one pass over the table. Supplier and date are read
    /// back from the key (`kind|supplier|threshold|date`): one column a row instead of four.
    public func activeExpiry() async throws -> [ActiveExpiry] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT alert_key FROM alerts WHERE withdrawn_at IS NULL AND kind IN ('certificate.expiring', 'certificate.expired')
                """).all().map { row in
                    let key = try row.decode(column: "alert_key", as: String.self)
                    var alert = ActiveExpiry(key: key)
                    // Byte-level: String.split was a sixth of the whole scan.
                    let bar = UInt8(ascii: "|"), bytes = key.utf8
                    if let first = bytes.firstIndex(of: bar), let last = bytes.lastIndex(of: bar),
                       let threshold = bytes[..<last].lastIndex(of: bar), first < threshold {
                        alert.supplierId = String(key[bytes.index(after: first)..<threshold])
                        alert.governingDate = CalendarDate(iso: String(key[bytes.index(after: last)...]))
                    }
                    return alert
                }
        }
    }

    /// Withdraws alerts made moot — a renewal starts a new ladder, a suspension is reported by its
    /// own alert — with their undelivered deliveries. Returns how many were withdrawn.
    @discardableResult
    public func withdraw(keys: [String], at now: Date) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await database.transaction { db in
            var withdrawn = 0
            for chunk in keys.chunked(SupplierWriter.rowsPerStatement) {
                let ids = try await db.update("alerts").set("withdrawn_at", to: Timestamp.format(now))
                    .where("alert_key", .in, chunk).where(SQLIdentifier("withdrawn_at"), .is, SQLLiteral.null).returning("id").all()
                    .map { try $0.decode(column: "id", as: String.self) }
                withdrawn += ids.count
                guard !ids.isEmpty else { continue }
                // What was not delivered yet is not sent: the old date no longer governs.
                try await db.update("deliveries").set("status", to: DeliveryStatus.withdrawn.rawValue)
                    .where("status", .equal, DeliveryStatus.pending.rawValue).where("alert_id", .in, ids).run()
            }
            return withdrawn
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
        return Alert(
            id: try row.decode(column: "id", as: String.self),
            key: try row.decode(column: "alert_key", as: String.self),
            kind: try AlertKind(rawValue: kind) ?? { throw CorruptRow(column: "alerts.kind", value: kind) }(),
            supplierId: try row.decode(column: "supplier_id", as: String?.self),
            governingDate: try row.decode(column: "governing_date", as: String?.self).flatMap(CalendarDate.init(iso:)),
            thresholdDays: try row.decode(column: "threshold_days", as: Int?.self),
            createdAt: try Timestamp.decode(row, "created_at", table: "alerts"),
            withdrawnAt: try Timestamp.decodeIfPresent(row, "withdrawn_at", table: "alerts"),
            data: try JSONText.decode(AlertData.self, from: row.decode(column: "data", as: String.self)))
    }
}
