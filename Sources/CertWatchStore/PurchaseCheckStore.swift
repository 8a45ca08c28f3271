import CertWatchCore
import Foundation
import SQLKit

/// Reads the purchase-check log: lists for people and the chain check for inspectors.
public struct PurchaseCheckStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Which checks a list shows, newest first; filters combine with AND.
    public struct Query: Sendable, Equatable {
        public var supplierId: String?
        public var decision: PurchaseDecision?
        public var askedBy: String?
        /// Checks made on or after this day (UTC).
        public var since: CalendarDate?
        /// Checks made on or before this day (UTC).
        public var until: CalendarDate?
        public var limit: Int
        /// The `nextCursor` of the previous page.
        public var cursor: String?

        public static let maxLimit = 500

        public init(supplierId: String? = nil, decision: PurchaseDecision? = nil, askedBy: String? = nil, since: CalendarDate? = nil,
                    until: CalendarDate? = nil, limit: Int = 50, cursor: String? = nil) {
            self.supplierId = supplierId
            self.decision = decision
            self.askedBy = askedBy
            self.since = since
            self.until = until
            self.limit = limit
            self.cursor = cursor
        }
    }

    public func list(_ query: Query) async throws -> (items: [PurchaseCheck], nextCursor: String?) {
        try await database.withConnection { db in
            var select = db.select().columns(PurchaseCheck.storedColumnNames).from("purchase_checks")
            if let id = query.supplierId { select = select.where("supplier_id", .equal, id) }
            if let decision = query.decision { select = select.where("decision", .equal, decision.rawValue) }
            if let askedBy = query.askedBy { select = select.where("asked_by", .equal, askedBy) }
            if let since = query.since { select = select.where("checked_at", .greaterThanOrEqual, Timestamp.format(since.startOfDayUTC)) }
            if let until = query.until {
                select = select.where("checked_at", .lessThan, Timestamp.format(until.adding(days: 1).startOfDayUTC))
            }
            if let cursor = query.cursor {
                guard let seq = Int(cursor) else { throw InvalidCursor() }
                select = select.where("seq", .lessThan, seq)
            }
            let rows = try await select.orderBy("seq", .descending).limit(query.limit + 1).all()
            let checks = try rows.prefix(query.limit).map(Self.check)
            return (checks, rows.count > query.limit ? checks.last.map { String($0.seq) } : nil)
        }
    }

    public func check(id: String) async throws -> PurchaseCheck? {
        try await database.withConnection { db in
            try await db.select().columns(PurchaseCheck.storedColumnNames).from("purchase_checks").where("id", .equal, id).first().map(Self.check)
        }
    }

    /// Every check about one supplier, oldest first, for an inspector's export.
    public func checks(supplierId: String) async throws -> [PurchaseCheck] {
        try await database.withConnection { db in
            try await db.select().columns(PurchaseCheck.storedColumnNames).from("purchase_checks").where("supplier_id", .equal, supplierId)
                .orderBy("seq").all().map(Self.check)
        }
    }

    /// A supplier's newest `limit` checks, newest first: what its page shows, however many there are.
    public func latestChecks(supplierId: String, limit: Int) async throws -> [PurchaseCheck] {
        try await database.withConnection { db in
            try await db.select().columns(PurchaseCheck.storedColumnNames).from("purchase_checks").where("supplier_id", .equal, supplierId)
                .orderBy("seq", .descending).limit(limit).all().map(Self.check)
        }
    }

    /// The newest `limit` checks that named the import certificate `number` (as recorded), in
    /// either form of its number, newest first: what its page shows. Blocked checks are listed
    /// too (they did not count against it); the partial index `purchase_checks_import_certificate`
    /// serves the read.
    public func checks(importCertificate number: String, limit: Int) async throws -> [PurchaseCheck] {
        try await database.withConnection { db in
            try await db.select().columns(PurchaseCheck.storedColumnNames).from("purchase_checks")
                .where("import_certificate", .in, ImportCertificateStore.forms(of: number))
                .orderBy("seq", .descending).limit(limit).all().map(Self.check)
        }
    }

    static func check(_ row: any SQLRow) throws -> PurchaseCheck {
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        func required(_ column: String) throws -> String {
            guard let value = try text(column) else { throw CorruptRow(column: "purchase_checks.\(column)", value: "null") }
            return value
        }
        func parsed<T>(_ column: String, _ parse: (String) -> T?) throws -> T {
            let value = try required(column)
            guard let result = parse(value) else { throw CorruptRow(column: "purchase_checks.\(column)", value: value) }
            return result
        }
        let reasonsText = try required("reasons")
        let status = try text("status").map { CertificationStatus(code: $0, text: try text("status_text") ?? $0) }
        return PurchaseCheck(
            id: try required("id"), seq: try row.decode(column: "seq", as: Int.self), checkedAt: try parsed("checked_at", Timestamp.parse),
            askedBy: try required("asked_by"), requested: try required("requested"), supplierId: try text("supplier_id"),
            supplierName: try text("supplier_name"), nopOperationId: try text("nop_operation_id"), product: try required("product"),
            date: try parsed("for_date", CalendarDate.init(iso:)), decision: try parsed("decision", PurchaseDecision.init(rawValue:)),
            reasons: try JSONText.decode([PurchaseReason].self, from: reasonsText), matchedItem: try text("matched_item"),
            status: status, verificationId: try text("verification_id"),
            verifiedAt: try Timestamp.decodeIfPresent(row, "verified_at", table: "purchase_checks"), lot: try lot(row), importLine: try text("import_line"),
            prevHash: try required("prev_hash"), hash: try required("hash"))
    }

    private static func lot(_ row: any SQLRow) throws -> Lot? {
        let number = try row.decode(column: "import_certificate", as: String?.self)
        let quantityText = try row.decode(column: "quantity", as: String?.self)
        guard number != nil || quantityText != nil else { return nil }
        let quantity = try quantityText.map { text in
            guard let value = Double(text) else { throw CorruptRow(column: "purchase_checks.quantity", value: text) }
            return value
        }
        return Lot(importCertificate: number, quantity: quantity, unit: try row.decode(column: "unit", as: String?.self))
    }
}
