import CertWatchCore
import Foundation
import SQLKit

/// The list of every operation from the last complete INTEGRITY answer, searched by name to
/// link a supplier that has no NOP operation ID. It only proposes: a person confirms.
public struct IntegrityDirectoryStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Replaces the directory with `entries` in one transaction; an ID listed twice keeps its first entry.
    public func replace(with entries: [IntegrityDirectoryEntry]) async throws {
        try await database.transaction { db in
            try await db.delete(from: "integrity_directory").run()
            var seen = Set<String>()
            let unique = entries.filter { seen.insert($0.nopOperationId).inserted }
            for chunk in unique.chunked(SupplierWriter.rowsPerStatement) {
                var insert = db.insert(into: "integrity_directory").columns(
                    "nop_operation_id", "name", "other_names", "city", "country", "certifier", "status", "search_text")
                for e in chunk {
                    insert = insert.values(e.nopOperationId, e.name, JSONText.encode(e.otherNames), e.city, e.country,
                                           e.certifier, e.status, ([e.name] + e.otherNames).joined(separator: "\n").lowercased())
                }
                try await insert.run()
            }
        }
    }

    /// Operations whose name or other names contain every word of `query`, best first.
    public func search(_ query: String, limit: Int = 20) async throws -> [IntegrityDirectoryEntry] {
        let words = query.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return [] }
        return try await database.withConnection { db in
            var sql: SQLQueryString = "SELECT * FROM integrity_directory WHERE 1 = 1"
            for word in words {
                sql = sql + " AND search_text LIKE \(bind: "%" + SupplierReader.escapeLike(word) + "%") ESCAPE '\\'"
            }
            sql = sql + " ORDER BY LENGTH(name), name LIMIT \(literal: max(1, min(limit, 200)))"
            return try await db.raw(sql).all().map { row in
                IntegrityDirectoryEntry(
                    nopOperationId: try row.decode(column: "nop_operation_id", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    otherNames: try JSONText.decode([String].self, from: row.decode(column: "other_names", as: String.self)),
                    city: try row.decode(column: "city", as: String?.self),
                    country: try row.decode(column: "country", as: String?.self),
                    certifier: try row.decode(column: "certifier", as: String?.self),
                    status: try row.decode(column: "status", as: String.self))
            }
        }
    }
}
