import Crypto
import Foundation
import SQLKit

/// The ledger of applied steps (`schema_migrations`): each step's version, name and a checksum
/// of the SQL it ran. A released step is frozen by this, not by a comment: when a step's SQL no
/// longer matches what a database applied, migrating stops before changing anything and names
/// the step.
extension Migrations {
    /// A released step whose SQL differs from what this database applied.
    public struct EditedStep: Error, CustomStringConvertible {
        public var version: Int
        public var name: String
        public var description: String {
            "migration step \(version) (“\(name)”) is not the one this database applied: a released step was edited. "
                + "Nothing was changed; restore the step and put the change in a new one."
        }
    }

    /// The ledger as the first release made it; the checksum column is added by `checkLedger`
    /// on every database, so a new and an upgraded one have the same schema.
    private static let ledger: SQLQueryString = """
        CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
        """

    /// SHA-256 of the statements a step runs on `dialect`.
    static func checksum(of step: Step, for dialect: Database.Dialect) -> String {
        let statements = dialect == .postgres ? step.postgresStatements ?? step.statements : step.statements
        return Array(SHA256.hash(data: Data(statements.joined(separator: "\n;\n").utf8))).hexString
    }

    /// Applies every step not yet applied (up to `last`, for tests of upgrades), each in its own
    /// transaction, and returns their versions; first refuses an edited step. On PostgreSQL an
    /// advisory lock makes replicas starting together apply each step once.
    @discardableResult
    public static func run(on database: Database, through last: Int = .max, now: Date = Date()) async throws -> [Int] {
        try await checkLedger(database)
        var applied: [Int] = []
        for step in steps where step.version <= last {
            let didApply = try await database.transaction { db in
                try await lock(db, database.dialect)
                let existing = try await db.select().column("version").from("schema_migrations")
                    .where("version", .equal, step.version).first()
                guard existing == nil else { return false }
                let statements = database.dialect == .postgres ? step.postgresStatements ?? step.statements : step.statements
                for statement in statements {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at", "checksum")
                    .values(step.version, step.name, Timestamp.format(now), checksum(of: step, for: database.dialect))
                    .run()
                return true
            }
            if didApply { applied.append(step.version) }
        }
        return applied
    }

    /// Creates the ledger, gives it its checksum column, records the checksum of steps applied
    /// before checksums were kept (what they ran is taken as this release's SQL), and throws
    /// `EditedStep` for the first applied step whose SQL changed since.
    static func checkLedger(_ database: Database) async throws {
        try await database.transaction { db in
            try await lock(db, database.dialect)
            try await db.raw(ledger).run()
            let hasChecksum = database.dialect == .postgres
                ? try await db.raw("""
                    SELECT 1 AS found FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'
                    """).first() != nil
                : try await db.raw("SELECT 1 AS found FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'").first() != nil
            if !hasChecksum { try await db.raw("ALTER TABLE schema_migrations ADD COLUMN checksum TEXT").run() }
            let applied = try await db.select().columns("version", "checksum").from("schema_migrations").all()
            for row in applied {
                let version = try row.decode(column: "version", as: Int.self)
                guard let step = steps.first(where: { $0.version == version }) else { continue }  // a newer release's step
                let expected = checksum(of: step, for: database.dialect)
                guard let recorded = try row.decode(column: "checksum", as: String?.self) else {
                    try await db.update("schema_migrations").set("checksum", to: expected).where("version", .equal, version).run()
                    continue
                }
                if recorded != expected { throw EditedStep(version: version, name: step.name) }
            }
        }
    }

    private static func lock(_ db: any SQLDatabase, _ dialect: Database.Dialect) async throws {
        guard dialect == .postgres else { return }  // SQLite's write transaction already excludes others
        try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(migrationLockKey))) AS locked").run()
    }

    /// The highest applied version, or 0 for an empty database.
    public static func currentVersion(of database: Database) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw(ledger).run()
            let row = try await db.raw("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").first()
            return try row?.decode(column: "v", as: Int.self) ?? 0
        }
    }
}
