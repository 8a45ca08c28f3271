import CertWatchCore
import Foundation
import SQLKit

/// The registry of suppliers and their certificates.
///
/// Every write is one transaction: a supplier, its tags, certificate and items change together or
/// not at all. The NOP operation ID is unique in the database, not just checked in code.
public struct SupplierStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Adds a new supplier; refuses a NOP operation ID that another supplier has.
    public func create(_ supplier: Supplier) async throws -> StoredSupplier {
        try await database.registryTransaction { db in
            try await ensureUnique(supplier, on: db)
            try await SupplierWriter(db: db)
                .write([supplier], at: Timestamp.format(now()))
            guard let stored = try await SupplierReader(db: db).supplier(id: supplier.id) else {
                throw StoreError.notFound("supplier \(supplier.id)")
            }
            return stored
        }
    }

    /// Replaces a supplier's whole record, but its supplier addresses when `keepingSupplierEmails`
    /// (a client that did not send them); throws `.notFound` for an unknown id.
    public func replace(_ supplier: Supplier, keepingSupplierEmails: Bool = false) async throws -> StoredSupplier {
        try await database.registryTransaction { db in
            guard try await SupplierReader(db: db).exists(id: supplier.id) else {
                throw StoreError.notFound("supplier \(supplier.id)")
            }
            try await ensureUnique(supplier, on: db)
            try await SupplierWriter(db: db)
                .write([supplier], at: Timestamp.format(now()), keepingSupplierEmailsOf: keepingSupplierEmails ? [supplier.id] : [])
            guard let stored = try await SupplierReader(db: db).supplier(id: supplier.id) else {
                throw StoreError.notFound("supplier \(supplier.id)")
            }
            return stored
        }
    }

    /// Deletes a supplier with its certificate; false when there was none.
    public func delete(id: String) async throws -> Bool {
        try await database.registryTransaction { db in
            guard try await SupplierReader(db: db).exists(id: id) else { return false }
            try await db.delete(from: "suppliers").where("id", .equal, id).run()
            return true
        }
    }

    public func get(id: String) async throws -> StoredSupplier? {
        try await database.withConnection { try await SupplierReader(db: $0).supplier(id: id) }
    }

    public func find(nopOperationId: NOPOperationID) async throws -> StoredSupplier? {
        try await database.withConnection { try await SupplierReader(db: $0).supplier(nopOperationId: nopOperationId) }
    }

    /// Resolves what a person types for a supplier: a NOP operation ID, an internal id, or an exact
    /// name. More than one result means the name is ambiguous.
    public func lookup(_ reference: String) async throws -> [StoredSupplier] {
        try await database.withConnection { try await SupplierReader(db: $0).lookup(reference) }
    }

    public func list(_ query: SupplierQuery) async throws -> SupplierPage {
        try await database.withConnection { try await SupplierReader(db: $0).page(query) }
    }

    /// The id and NOP operation ID of every supplier linked to INTEGRITY, or only of those with
    /// these ids, ordered by id: small enough for 100,000 suppliers, so verification can load
    /// whole records a batch at a time.
    public func linkedToIntegrity(ids: [String]? = nil) async throws -> [(id: String, nopOperationId: NOPOperationID)] {
        try await database.withConnection { db in
            var query = db.select().column("id").column("nop_operation_id").from("suppliers")
                .where("nop_operation_id", .isNot, SQLLiteral.null)
            if let ids { query = query.where("id", .in, ids) }
            return try await query.orderBy("id").all().compactMap { row in
                let id = try row.decode(column: "id", as: String.self)
                return NOPOperationID(try row.decode(column: "nop_operation_id", as: String.self)).map { (id, $0) }
            }
        }
    }

    /// The suppliers with these ids, in the order given; unknown ids are skipped.
    public func get(ids: [String]) async throws -> [StoredSupplier] {
        try await database.withConnection { db in
            var result: [StoredSupplier] = []
            result.reserveCapacity(ids.count)
            for chunk in ids.chunked(SupplierWriter.rowsPerStatement) {
                result += try await SupplierReader(db: db).suppliers(ids: chunk)
            }
            return result
        }
    }

    public func count() async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM suppliers").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    private func ensureUnique(_ supplier: Supplier, on db: any SQLDatabase) async throws {
        guard let nop = supplier.nopOperationId else { return }
        let row = try await db.select().column("id").from("suppliers")
            .where("nop_operation_id", .equal, nop.rawValue)
            .where("id", .notEqual, supplier.id).first()
        if let existing = try row?.decode(column: "id", as: String.self) {
            throw StoreError.duplicateNOPOperationID(nop.rawValue, existingSupplierId: existing)
        }
    }
}
