import CertWatchCore
import Crypto
import Foundation
import SQLKit

/// The list of every operation from the last complete INTEGRITY answer, searched by name to
/// link a supplier that has no NOP operation ID. It only proposes: a person confirms.
public struct IntegrityDirectoryStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Replaces the directory with `entries` in one transaction; an ID listed twice keeps its first
    /// entry. A directory that hashes as the last one written is left as it is: nightly, almost
    /// nothing in 100,000 operations' names and statuses changes, and rewriting them all cost
    /// seconds. Returns whether it wrote.
    @discardableResult
    public func replace(with entries: [IntegrityDirectoryEntry]) async throws -> Bool {
        var seen = Set<String>()
        let unique = entries.filter { seen.insert($0.nopOperationId).inserted }
        let digest = Self.digest(unique)
        return try await database.transaction { db in
            let last = try await db.select().column("value").from("integrity_state").where("key", .equal, Self.digestKey).first()?
                .decode(column: "value", as: String.self)
            guard last != digest else { return false }
            try await db.delete(from: "integrity_directory").run()
            for chunk in unique.chunked(SupplierWriter.rowsPerStatement) {
                var insert = db.insert(into: "integrity_directory").columns(
                    "nop_operation_id", "name", "other_names", "city", "country", "certifier", "status", "search_text")
                for e in chunk {
                    insert = insert.values(e.nopOperationId, e.name, JSONText.encode(e.otherNames), e.city, e.country,
                                           Self.certifierText(e), e.status, Self.searchText(e))
                }
                try await insert.run()
            }
            try await db.insert(into: "integrity_state").columns("key", "value").values(Self.digestKey, digest)
                .onConflict(with: ["key"]) { try $0.set(excludedValueOf: "value") }.run()
            return true
        }
    }

    static let digestKey = "directory.digest"
    static let rowLayout = "search text with certifier short name"

    /// The certifier column holds the certifier as INTEGRITY writes it (`[MOSA] Midwest …`), so
    /// rows written before the short name was kept apart read the same way.
    static func certifierText(_ e: IntegrityDirectoryEntry) -> String? {
        IntegrityValues.certifierText(shortName: e.certifierShortName, name: e.certifier)
    }

    /// Names, other names and the certifier's short name: a buyer may search "Northfield MOSA".
    static func searchText(_ e: IntegrityDirectoryEntry) -> String {
        ([e.name] + e.otherNames + [e.certifierShortName].compactMap { $0 }).joined(separator: "\n").lowercased()
    }

    /// SHA-256 over every field of every entry, in order, each field ended by a separator no
    /// INTEGRITY text contains.
    static func digest(_ entries: [IntegrityDirectoryEntry]) -> String {
        var hash = SHA256()
        // The rows' layout: a new one (the certifier's short name became searchable) rewrites once.
        hash.update(data: Array(rowLayout.utf8))
        for e in entries {
            for field in [e.nopOperationId, e.name, e.otherNames.joined(separator: "\u{1E}"), e.city ?? "\u{1D}", e.country ?? "\u{1D}",
                          certifierText(e) ?? "\u{1D}", e.status] {
                var text = field
                text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
                withUnsafeBytes(of: UInt8(0x1F)) { hash.update(bufferPointer: $0) }
            }
        }
        return hash.finalize().hexString
    }

    /// Operations whose name, other names or certifier short name contain every word of `query`, best first.
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
                let certifier = IntegrityValues.certifier(try row.decode(column: "certifier", as: String?.self))
                return IntegrityDirectoryEntry(
                    nopOperationId: try row.decode(column: "nop_operation_id", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    otherNames: try JSONText.decode([String].self, from: row.decode(column: "other_names", as: String.self)),
                    city: try row.decode(column: "city", as: String?.self),
                    country: try row.decode(column: "country", as: String?.self),
                    certifier: certifier.name, certifierShortName: certifier.shortName,
                    status: try row.decode(column: "status", as: String.self))
            }
        }
    }
}
