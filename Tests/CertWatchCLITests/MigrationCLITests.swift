import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// An operator upgrades to a build whose released migration step was edited: `migrate` and
/// `serve` stop, name the step, and change nothing.
@Suite struct MigrationCLITests {
    @Test func anEditedStepStopsMigrateAndServe() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let migrated = try await CLI.run(["migrate", "--database-url", db])
        #expect(migrated.status == 0, "\(migrated.stdout)\(migrated.stderr)")
        try await Database.open(try DatabaseURL(parsing: db), logger: Logger(label: "test")).closing { database in
            try await database.withConnection { db in
                try await db.update("schema_migrations").set("checksum", to: "edited").where("version", .equal, 3).run()
            }
        }
        let refused = try await CLI.run(["migrate", "--database-url", db])
        #expect(refused.status != 0 && refused.stderr.contains("migration step 3 (“purchase checks”)"), "\(refused.stderr)")
        let serve = try await CLI.run(["serve", "--port", "\(try CLI.freePort())", "--database-url", db], timeout: .seconds(60))
        #expect(serve.status != 0 && serve.stderr.contains("a released step was edited"), "\(serve.stderr)")
    }
}
