import CertWatchCore
import Crypto
import Foundation
import SQLKit

/// NOP's notices of fraudulent certificates, as operators import them. A notice is kept once
/// (its name, identifier, date and address make its key), however often the file is imported;
/// importing one raises a `supplier.fraud_notice` alert for each supplier it names.
public struct FraudNoticeStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Imported: Sendable {
        public var added: Int
        public var alreadyKnown: Int
        /// The suppliers the new notices name (their ids), with the notice.
        public var named: [(supplier: String, notice: FraudNotice)]
    }

    /// Adds the notices not known yet and alerts on the suppliers they name, in one transaction.
    public func importNotices(_ notices: [FraudNotice], at now: Date) async throws -> Imported {
        try await database.transaction { db in
            var added: [FraudNotice] = []
            for notice in notices {
                let key = Self.key(notice)
                if try await db.select().column("id").from("fraud_notices").where("notice_key", .equal, key).first() != nil { continue }
                try await db.insert(into: "fraud_notices")
                    .columns("id", "notice_key", "operation_name", "name_key", "identifier", "identifier_key", "certifier", "notice_date", "url", "imported_at")
                    .values(notice.id, key, notice.operationName, FraudNotice.nameKey(notice.operationName), notice.identifier,
                            notice.identifier.map(FraudNotice.identifierKey), notice.certifier, notice.noticeDate.description, notice.url,
                            Timestamp.format(now))
                    .run()
                added.append(notice)
            }
            let named = try await Self.suppliersNamed(by: added, on: db)
            _ = try await AlertStore.insert(named.map { supplier, notice in
                AlertStore.NewAlert.fraudNotice(.fraudNotice(supplier: supplier, notice: notice))
            }, at: now, on: db)
            return Imported(added: added.count, alreadyKnown: notices.count - added.count, named: named.map { ($0.0.id, $0.1) })
        }
    }

    /// Every notice, newest first.
    public func all() async throws -> [FraudNotice] {
        try await database.withConnection { try await Self.all(on: $0) }
    }

    static func all(on db: any SQLDatabase) async throws -> [FraudNotice] {
        try await db.raw("SELECT * FROM fraud_notices ORDER BY notice_date DESC, id").all().map(notice)
    }

    /// The notices naming each of these suppliers that were imported by `moment` (now when nil).
    static func naming(_ suppliers: [Supplier], asOf moment: Date?, on db: any SQLDatabase) async throws -> [String: [FraudNotice]] {
        let keys = suppliers.map(FraudNotice.keys(of:))
        let names = Array(Set(keys.flatMap(\.names))), identifiers = Array(Set(keys.flatMap(\.identifiers)))
        guard !names.isEmpty || !identifiers.isEmpty else { return [:] }
        let until: SQLQueryString = moment.map { " AND imported_at <= \(bind: Timestamp.format($0))" } ?? ""
        let candidates = try await db.raw("""
            SELECT * FROM fraud_notices WHERE (name_key IN \(SQLBind.group(names.isEmpty ? [""] : names))
            OR identifier_key IN \(SQLBind.group(identifiers.isEmpty ? [""] : identifiers)))\(until)
            ORDER BY notice_date DESC, id
            """).all().map(notice)
        var found: [String: [FraudNotice]] = [:]
        for (supplier, keys) in zip(suppliers, keys) {
            let naming = candidates.filter { $0.names(keys) }
            if !naming.isEmpty { found[supplier.id] = naming }
        }
        return found
    }

    /// Every registry supplier the notices name now, with the notice: what the notices' page
    /// shows beside each (the gate decides by the registry as it is, not as it was at the import).
    public func suppliersNamed(by notices: [FraudNotice]) async throws -> [(supplier: AlertData.SupplierRef, notice: FraudNotice)] {
        try await database.withConnection { db in try await Self.suppliersNamed(by: notices, on: db).map { ($0.0, $0.1) } }
    }

    /// Every registry supplier a notice names, read in pages (an import is rare; the registry may
    /// hold 100,000 suppliers). The notices are looked up by their keys, not tried one by one, so
    /// NOP's whole list against the whole registry stays one pass.
    static func suppliersNamed(by notices: [FraudNotice], on db: any SQLDatabase) async throws -> [(AlertData.SupplierRef, FraudNotice)] {
        guard !notices.isEmpty else { return [] }
        var byName: [String: [Int]] = [:], byIdentifier: [String: [Int]] = [:]
        for (index, notice) in notices.enumerated() {
            byName[FraudNotice.nameKey(notice.operationName), default: []].append(index)
            if let identifier = notice.identifier { byIdentifier[FraudNotice.identifierKey(identifier), default: []].append(index) }
        }
        var named: [(AlertData.SupplierRef, FraudNotice)] = []
        var after = ""
        while true {
            let rows = try await db.raw("""
                SELECT s.id, s.name, s.other_names, s.nop_operation_id, c.number FROM suppliers s
                LEFT JOIN certificates c ON c.supplier_id = s.id WHERE s.id > \(bind: after) ORDER BY s.id LIMIT 5000
                """).all()
            for row in rows {
                let id = try row.decode(column: "id", as: String.self), name = try row.decode(column: "name", as: String.self)
                let nop = try row.decode(column: "nop_operation_id", as: String?.self)
                let keys = FraudNotice.Keys(
                    names: [name] + (try JSONText.decode([String].self, from: row.decode(column: "other_names", as: String.self))),
                    identifiers: [nop, try row.decode(column: "number", as: String?.self)])
                // `FraudNotice.names(_:)`: by identifier, else by name; each notice once, in the notices' order.
                let matching = Set(keys.identifiers.flatMap { byIdentifier[$0] ?? [] } + keys.names.flatMap { byName[$0] ?? [] })
                for index in matching.sorted() {
                    named.append((AlertData.SupplierRef(id: id, name: name, nopOperationId: nop.flatMap(NOPOperationID.init)), notices[index]))
                }
                after = id
            }
            if rows.count < 5000 { return named }
        }
    }

    static func key(_ notice: FraudNotice) -> String {
        let text = [FraudNotice.nameKey(notice.operationName), notice.identifier.map(FraudNotice.identifierKey) ?? "",
                    notice.noticeDate.description, notice.url].joined(separator: "\n")
        return SHA256.hash(data: Array(text.utf8)).hexString
    }

    private static func notice(_ row: any SQLRow) throws -> FraudNotice {
        let dateText = try row.decode(column: "notice_date", as: String.self)
        guard let date = CalendarDate(iso: dateText) else { throw CorruptRow(column: "fraud_notices.notice_date", value: dateText) }
        return FraudNotice(
            id: try row.decode(column: "id", as: String.self), operationName: try row.decode(column: "operation_name", as: String.self),
            identifier: try row.decode(column: "identifier", as: String?.self), certifier: try row.decode(column: "certifier", as: String?.self),
            noticeDate: date, url: try row.decode(column: "url", as: String.self))
    }
}
