import CertWatchStore
import CertWatchTestSupport
import Foundation
import SQLKit
import Testing

/// Released migration steps are frozen: an empty database migrated today must have exactly the
/// schema checked in under `Schema/`. Editing a shipped step (or adding one) changes the dump and
/// fails here; a new step is accepted by regenerating the dump on purpose:
/// `CERTWATCH_WRITE_SCHEMA=1 swift test --filter SchemaTests` (then review the diff).
@Suite struct SchemaTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schema")

    @Test(arguments: Backend.allCases)
    func aMigratedEmptyDatabaseHasTheCheckedInSchema(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let dump = try await database.withConnection { db in
                backend == .sqlite ? try await Self.sqliteSchema(db) : try await Self.postgresSchema(db)
            }
            let file = Self.folder.appendingPathComponent("\(backend).sql")
            if ProcessInfo.processInfo.environment["CERTWATCH_WRITE_SCHEMA"] == "1" {
                try dump.write(to: file, atomically: true, encoding: .utf8)
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            let (got, want) = (dump.split(separator: "\n", omittingEmptySubsequences: false), expected.split(separator: "\n", omittingEmptySubsequences: false))
            if let line = (0..<max(got.count, want.count)).first(where: { $0 >= got.count || $0 >= want.count || got[$0] != want[$0] }) {
                Issue.record("""
                    the migrated schema differs from Schema/\(file.lastPathComponent) at line \(line + 1): was a shipped step edited?
                    checked in: \(line < want.count ? want[line] : "(end)")
                    migrated:   \(line < got.count ? got[line] : "(end)")
                    """)
            }
        }
    }

    /// Every table, index and trigger as SQLite stores its SQL, by name.
    static func sqliteSchema(_ db: any SQLDatabase) async throws -> String {
        let rows = try await db.raw("""
            SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY type, name
            """).all()
        return try rows.map { row in
            "-- \(try row.decode(column: "type", as: String.self)) \(try row.decode(column: "name", as: String.self))\n"
                + "\(try row.decode(column: "sql", as: String.self));\n"
        }.joined()
    }

    /// Columns, constraints, indexes, triggers and functions of the public schema, as PostgreSQL
    /// describes them, in a stable order.
    static func postgresSchema(_ db: any SQLDatabase) async throws -> String {
        func lines(_ query: SQLQueryString) async throws -> [String] {
            try await db.raw(query).all().map { try $0.decode(column: "line", as: String.self) }
        }
        let columns = try await lines("""
            SELECT table_name || '.' || column_name || ' ' || data_type || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END
                   || COALESCE(' DEFAULT ' || column_default, '') AS line
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
            """)
        let constraints = try await lines("""
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conrelid::regclass::text, conname
            """)
        let indexes = try await lines("SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname")
        let triggers = try await lines("""
            SELECT pg_get_triggerdef(t.oid) AS line FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal ORDER BY c.relname, t.tgname
            """)
        let functions = try await lines("""
            SELECT pg_get_functiondef(p.oid) AS line FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY p.proname
            """)
        return [("columns", columns), ("constraints", constraints), ("indexes", indexes), ("triggers", triggers), ("functions", functions)]
            .map { "-- \($0.0)\n" + $0.1.map { $0 + "\n" }.joined() }.joined()
    }
}
