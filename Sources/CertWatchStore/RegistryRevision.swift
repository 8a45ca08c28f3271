import SQLKit

/// A counter that every committed change to what a purchase check reads moves forward: suppliers,
/// certificates, certified items, verification evidence and certificates on file.
///
/// Database triggers (migration step 9, on suppliers, certificates, certificate_items,
/// verifications and latest_verifications; step 13, on documents and document_readings) move it, not the code that writes, so no write path (an import, a
/// verification, an operator's SQL console, another replica) can change the registry without
/// moving it. The purchase gate keeps what it read in memory under the revision it read it at and
/// drops it all when the revision moves, so no answer can come from before a recorded suspension.
public enum RegistryRevision {
    public static func current(on db: any SQLDatabase) async throws -> Int {
        guard let row = try await db.raw("SELECT value FROM registry_revision WHERE id = 1").first() else {
            throw CorruptRow(column: "registry_revision.value", value: "missing")
        }
        return try row.decode(column: "value", as: Int.self)
    }

    /// Moves the revision at the start of a transaction that will write the registry. On
    /// PostgreSQL this takes the revision's row lock before any supplier's, so two writers always
    /// lock in the same order; on SQLite the transaction already holds the write lock.
    static func claim(on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE registry_revision SET value = value + 1 WHERE id = 1").run()
    }
}

extension Database {
    /// A transaction that writes the registry or its evidence: it claims the revision first.
    func registryTransaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction { db in
            try await RegistryRevision.claim(on: db)
            return try await body(db)
        }
    }
}
