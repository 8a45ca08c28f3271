import CertWatchCore
import Foundation
import SQLKit

/// Reads whole supplier records: one query for suppliers with their certificate, then one each for
/// the tags and items of all of them, whatever the page size.
struct SupplierReader {
    let db: any SQLDatabase

    private static let columns: SQLQueryString = """
        s.id, s.name, s.other_names, s.nop_operation_id, s.certifier, s.country, s.contact_emails,
        s.time_zone, s.created_at, s.updated_at, s.imports, s.supplier_emails, c.scheme, c.number, c.status_code, c.status_text,
        c.status_effective_date, c.anniversary_date, c.valid_to, c.scopes
        """

    func exists(id: String) async throws -> Bool {
        try await db.select().column("id").from("suppliers").where("id", .equal, id).first() != nil
    }

    func supplier(id: String) async throws -> StoredSupplier? {
        try await suppliers(ids: [id]).first
    }

    /// The suppliers with these ids, in the order given; unknown ids are skipped.
    /// The suppliers with these ids, in their order; `withItems: false` leaves out the tags and the
    /// certificate's items, for readers whose rules do not look at them.
    func suppliers(ids: [String], withItems: Bool = true) async throws -> [StoredSupplier] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.raw("""
            SELECT \(Self.columns) FROM suppliers s LEFT JOIN certificates c ON c.supplier_id = s.id
            WHERE s.id IN \(SQLBind.group(ids))
            """).all()
        let byId = Dictionary(uniqueKeysWithValues: try await assemble(rows, withItems: withItems).map { ($0.supplier.id, $0) })
        return ids.compactMap { byId[$0] }
    }

    func supplier(nopOperationId: NOPOperationID) async throws -> StoredSupplier? {
        guard let id = try await ids(nopOperationIds: [nopOperationId.rawValue])[nopOperationId.rawValue] else { return nil }
        return try await supplier(id: id)
    }

    /// The ids of the suppliers with these NOP operation IDs, by NOP operation ID.
    func ids(nopOperationIds: [String]) async throws -> [String: String] {
        guard !nopOperationIds.isEmpty else { return [:] }
        var ids: [String: String] = [:]
        for row in try await db.raw("""
            SELECT id, nop_operation_id FROM suppliers WHERE nop_operation_id IN \(SQLBind.group(nopOperationIds))
            """).all() {
            ids[try row.decode(column: "nop_operation_id", as: String.self)] = try row.decode(column: "id", as: String.self)
        }
        return ids
    }

    /// Suppliers whose name equals `name`, ignoring case.
    func suppliers(named name: String) async throws -> [StoredSupplier] {
        let ids = try await db.select().column("id").from("suppliers")
            .where(SQLFunction("LOWER", args: SQLIdentifier("name")), .equal, SQLBind(name.lowercased()))
            .all().map { try $0.decode(column: "id", as: String.self) }
        return try await suppliers(ids: ids)
    }

    /// What a person types for a supplier: a NOP operation ID, an internal id, or an exact name.
    func lookup(_ reference: String) async throws -> [StoredSupplier] {
        if let nop = NOPOperationID(reference), let found = try await supplier(nopOperationId: nop) { return [found] }
        if let found = try await supplier(id: reference) { return [found] }
        return try await suppliers(named: reference)
    }

    func page(_ query: SupplierQuery) async throws -> SupplierPage {
        var sql: SQLQueryString = "SELECT \(Self.columns) FROM suppliers s LEFT JOIN certificates c ON c.supplier_id = s.id WHERE 1 = 1"
        if let status = query.status {
            sql = status == "none"
                ? sql + " AND c.supplier_id IS NULL"
                : sql + " AND c.status_code = \(bind: status)"
        }
        if let text = query.text?.lowercased(), !text.isEmpty {
            sql = sql + " AND s.search_text LIKE \(bind: Self.containing(text)) ESCAPE '\\'"
        }
        if let tag = query.tag {
            sql = sql + " AND EXISTS (SELECT 1 FROM supplier_tags t WHERE t.supplier_id = s.id AND t.tag_key = \(bind: tag.lowercased()))"
        }
        if let scope = query.scope {
            sql = sql + " AND c.scopes LIKE \(bind: Self.containing("\"\(scope.rawValue)\":")) ESCAPE '\\'"
        }
        if let certifier = query.certifier?.lowercased(), !certifier.isEmpty {
            sql = sql + " AND LOWER(s.certifier) LIKE \(bind: Self.containing(certifier)) ESCAPE '\\'"
        }
        if let country = query.country?.lowercased(), !country.isEmpty {
            sql = sql + " AND LOWER(s.country) LIKE \(bind: Self.containing(country)) ESCAPE '\\'"
        }
        if let day = query.lapsingThrough {
            sql = sql + " AND c.status_code = 'certified' AND COALESCE(c.valid_to, c.anniversary_date) <= \(bind: day.description)"
        }
        // Keyset paging: the sort key, then the id, so equal keys page without repeats.
        let key: SQLQueryString = switch query.order {
        case .name: "s.name"
        case .governingDate: "COALESCE(c.valid_to, c.anniversary_date, '9999-12-31')"
        }
        if let text = query.cursor {
            guard let cursor = ListCursor(encoded: text) else { throw InvalidCursor() }
            sql = sql + " AND (" + key + " > \(bind: cursor.name) OR (" + key + " = \(bind: cursor.name) AND s.id > \(bind: cursor.id)))"
        }
        let limit = max(1, min(query.limit, SupplierQuery.maxLimit))
        sql = sql + " ORDER BY " + key + ", s.id LIMIT \(literal: limit + 1)"
        var items = try await assemble(try await db.raw(sql).all())
        var next: String?
        if items.count > limit {
            items.removeLast(items.count - limit)
            next = items.last.map { ListCursor(name: Self.sortKey($0, query.order), id: $0.supplier.id).encoded }
        }
        return SupplierPage(items: items, nextCursor: next)
    }

    /// The value `page` sorts by, as the database compares it.
    private static func sortKey(_ stored: StoredSupplier, _ order: SupplierQuery.Order) -> String {
        switch order {
        case .name: stored.supplier.name
        case .governingDate: (stored.supplier.certificate?.validTo ?? stored.supplier.certificate?.anniversaryDate)?.description ?? "9999-12-31"
        }
    }

    /// A LIKE pattern matching `text` anywhere.
    static func containing(_ text: String) -> String {
        "%" + escapeLike(text) + "%"
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    private func assemble(_ rows: [any SQLRow], withItems: Bool = true) async throws -> [StoredSupplier] {
        guard !rows.isEmpty else { return [] }
        var records = try rows.map(Self.record)
        guard withItems else { return records }
        let ids = records.map(\.supplier.id)
        let tags = try await tags(for: ids)
        let items = try await items(for: ids)
        for index in records.indices {
            let id = records[index].supplier.id
            records[index].supplier.tags = tags[id] ?? []
            records[index].supplier.certificate?.items = items[id] ?? []
        }
        return records
    }

    private func tags(for ids: [String]) async throws -> [String: [String]] {
        let rows = try await db.raw("""
            SELECT supplier_id, tag FROM supplier_tags WHERE supplier_id IN \(SQLBind.group(ids)) ORDER BY supplier_id, tag_key
            """).all()
        return try Dictionary(grouping: rows, by: { try $0.decode(column: "supplier_id", as: String.self) })
            .mapValues { try $0.map { try $0.decode(column: "tag", as: String.self) } }
    }

    private func items(for ids: [String]) async throws -> [String: [CertifiedItem]] {
        let rows = try await db.raw("""
            SELECT supplier_id, scope, category, items, varieties, status_code, status_text, status_effective_date
            FROM certificate_items WHERE supplier_id IN \(SQLBind.group(ids)) ORDER BY supplier_id, position
            """).all()
        var result: [String: [CertifiedItem]] = [:]
        for row in rows {
            let scopeText = try row.decode(column: "scope", as: String.self)
            let scope = Scope(rawValue: scopeText)
            guard scope != nil || scopeText == SupplierWriter.unknownScope else {
                throw CorruptRow(column: "certificate_items.scope", value: scopeText)
            }
            let item = CertifiedItem(
                scope: scope,
                category: try row.decode(column: "category", as: String?.self),
                items: try JSONText.decode([String].self, from: row.decode(column: "items", as: String.self)),
                varieties: try JSONText.decode([String].self, from: row.decode(column: "varieties", as: String.self)),
                status: CertificationStatus(
                    code: try row.decode(column: "status_code", as: String.self),
                    text: try row.decode(column: "status_text", as: String.self)),
                statusEffectiveDate: try Self.date(row, "status_effective_date"))
            result[try row.decode(column: "supplier_id", as: String.self), default: []].append(item)
        }
        return result
    }

    private static func record(_ row: any SQLRow) throws -> StoredSupplier {
        var certificate: Certificate?
        if let scheme = try row.decode(column: "scheme", as: String?.self) {
            guard let parsed = CertificationScheme(rawValue: scheme) else { throw CorruptRow(column: "certificates.scheme", value: scheme) }
            certificate = Certificate(
                scheme: parsed,
                number: try row.decode(column: "number", as: String?.self),
                status: CertificationStatus(
                    code: try row.decode(column: "status_code", as: String.self),
                    text: try row.decode(column: "status_text", as: String.self)),
                statusEffectiveDate: try date(row, "status_effective_date"),
                anniversaryDate: try date(row, "anniversary_date"),
                validTo: try date(row, "valid_to"),
                scopes: try JSONText.decode(StoredScopes.self, from: row.decode(column: "scopes", as: String.self)).scopes)
        }
        let nop = try row.decode(column: "nop_operation_id", as: String?.self)
        let supplier = Supplier(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            otherNames: try JSONText.decode([String].self, from: row.decode(column: "other_names", as: String.self)),
            nopOperationId: nop.flatMap(NOPOperationID.init),
            certifier: try row.decode(column: "certifier", as: String?.self),
            country: try row.decode(column: "country", as: String?.self),
            contactEmails: try JSONText.decode([String].self, from: row.decode(column: "contact_emails", as: String.self)),
            supplierEmails: try JSONText.decode([String].self, from: row.decode(column: "supplier_emails", as: String.self)),
            timeZone: try row.decode(column: "time_zone", as: String?.self),
            certificate: certificate, imports: try row.decode(column: "imports", as: Int.self) != 0)
        return StoredSupplier(
            supplier: supplier,
            createdAt: try timestamp(row, "created_at"),
            updatedAt: try timestamp(row, "updated_at"))
    }

    private static func date(_ row: any SQLRow, _ column: String) throws -> CalendarDate? {
        guard let text = try row.decode(column: column, as: String?.self) else { return nil }
        guard let date = CalendarDate(iso: text) else { throw CorruptRow(column: column, value: text) }
        return date
    }

    private static func timestamp(_ row: any SQLRow, _ column: String) throws -> Date {
        let text = try row.decode(column: column, as: String.self)
        guard let date = Timestamp.parse(text) else { throw CorruptRow(column: column, value: text) }
        return date
    }
}
