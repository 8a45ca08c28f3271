import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import SQLKit
import Testing

/// Released migration steps are frozen: an empty database migrated today must have exactly the
/// schema checked in under `Schema/`, and so must a database upgraded from every earlier step.
/// Editing a shipped step (or adding one) changes the dump and fails here; a new step is accepted
/// by regenerating the dump on purpose: `CERTWATCH_WRITE_SCHEMA=1 swift test --filter SchemaTests`
/// (then review the diff). A database that applied a step whose SQL changed since refuses to migrate.
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

    static func dump(_ database: Database) async throws -> String {
        try await database.withConnection { db in
            database.dialect == .sqlite ? try await Self.sqliteSchema(db) : try await Self.postgresSchema(db)
        }
    }

    /// A database left at each earlier step (as each release left it) upgrades to the same schema.
    @Test(arguments: Backend.allCases)
    func aDatabaseAtEveryEarlierStepUpgradesToTheCheckedInSchema(_ backend: Backend) async throws {
        let expected = try String(contentsOf: Self.folder.appendingPathComponent("\(backend).sql"), encoding: .utf8)
        let head = try #require(Migrations.steps.last?.version)
        for version in 1..<head {
            let url = try await freshDatabaseURL(backend)
            let database = try Database.open(url, logger: Logger(label: "test"))
            do {
                #expect(try await Migrations.run(on: database, through: version) == Array(1...version))
                #expect(try await Migrations.run(on: database) == Array((version + 1)...head))
                #expect(try await Self.dump(database) == expected, "upgraded from step \(version)")
                try await database.close()
            } catch {
                try? await database.close()
                throw error
            }
        }
    }

    /// A released step edited after a database applied it stops migrating, names the step and
    /// changes nothing (the next step is not applied).
    @Test(arguments: Backend.allCases)
    func anEditedStepStopsMigratingAndNamesIt(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let head = try #require(Migrations.steps.last?.version)
            try await database.withConnection { db in
                try await db.raw("DELETE FROM schema_migrations WHERE version = \(bind: head)").run()
                try await db.update("schema_migrations").set("checksum", to: "edited").where("version", .equal, 5).run()
            }
            await #expect(throws: Migrations.EditedStep.self) { try await Migrations.run(on: database) }
            do {
                try await Migrations.run(on: database)
            } catch let edited as Migrations.EditedStep {
                #expect(edited.version == 5 && edited.description.hasPrefix("migration step 5 (“\(Migrations.steps[4].name)”)"))
            }
            #expect(try await Migrations.currentVersion(of: database) == head - 1, "nothing was applied")
        }
    }

    /// A database migrated before checksums were kept gets them, and migrates on.
    @Test(arguments: Backend.allCases)
    func aLedgerWithoutChecksumsGetsThem(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await database.withConnection { db in
                try await db.raw("ALTER TABLE schema_migrations DROP COLUMN checksum").run()
            }
            #expect(try await Migrations.run(on: database).isEmpty)
            let missing = try await database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM schema_migrations WHERE checksum IS NULL").first()?.decode(column: "n", as: Int.self)
            }
            #expect(missing == 0)
            #expect(try await Self.dump(database) == String(contentsOf: Self.folder.appendingPathComponent("\(backend).sql"), encoding: .utf8))
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
