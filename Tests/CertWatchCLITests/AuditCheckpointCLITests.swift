import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import SQLKit
import Testing

/// An operator seals the chain with a key kept out of the database and keeps the checkpoints
/// it prints; someone who can write the database (and drop its triggers) then deletes the
/// newest checks, moves the head back and removes the database's own checkpoints. `audit
/// verify` alone says intact; with the kept checkpoints it names what was removed.
@Suite struct AuditCheckpointCLITests {
    static let key = ["AUDIT_CHECKPOINT_KEY": "an operator's key of thirty-two characters or more"]

    @Test func keptCheckpointsShowAConsistentRewrite() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let csv = "name,nop_operation_id,status,crops,products\nHand Farm,,certified,certified,crops:Lentils\n"
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
        let unsealed = try await CLI.run(["audit", "checkpoint", "--database-url", db])
        #expect(unsealed.status != 0 && unsealed.stderr.contains("audit.checkpointKey is not set"), "\(unsealed.stderr)")
        for _ in 0..<3 { _ = try await CLI.run(["check", "Hand Farm", "--product", "lentils", "--database-url", db]) }

        let sealed = try await CLI.run(["audit", "checkpoint", "--database-url", db], environment: Self.key)
        #expect(sealed.status == 0 && sealed.stdout.hasPrefix("cwcp1.head.3."), "\(sealed.stdout)\(sealed.stderr)")
        #expect(sealed.stderr.contains("audit checkpoint cwcp1.head.3."), "the log carries it too: \(sealed.stderr)")
        let again = try await CLI.run(["audit", "checkpoint", "--database-url", db], environment: Self.key)
        #expect(again.stdout.hasPrefix("nothing new to seal"), "\(again.stdout)")
        // Kept as an operator keeps it: in a log among other lines.
        let kept = try CLI.writeTemporary("2026 notice certwatch.audit: something else\nnoise \(sealed.stdout)more noise\n")

        let intact = try await CLI.run(["audit", "verify", "--checkpoints", kept, "--database-url", db], environment: Self.key)
        #expect(intact.status == 0 && intact.stdout.contains("compared with 1 checkpoints; sealed through record 3"), "\(intact.stdout)\(intact.stderr)")
        let keyless = try await CLI.run(["audit", "verify", "--checkpoints", kept, "--database-url", db])
        #expect(keyless.status != 0 && keyless.stderr.contains("--checkpoints needs audit.checkpointKey"), "\(keyless.stderr)")

        try await Database.open(try DatabaseURL(parsing: db), logger: Logger(label: "test")).closing { database in
            try await AuditTampering.dropGuards(database)
            try await database.withConnection { db in
                let first = try #require(try await db.raw("SELECT hash FROM purchase_checks WHERE seq = 1").first())
                try await db.raw("DELETE FROM purchase_checks WHERE seq > 1").run()
                try await db.update("audit_heads").set("seq", to: 1).set("hash", to: try first.decode(column: "hash", as: String.self)).run()
                try await db.raw("DELETE FROM audit_checkpoints").run()
            }
        }
        let fooled = try await CLI.run(["audit", "verify", "--database-url", db], environment: Self.key)
        #expect(fooled.status == 0 && fooled.stdout.hasPrefix("intact: 1 purchase checks"), "the database alone cannot tell: \(fooled.stdout)")
        let caught = try await CLI.run(["audit", "verify", "--checkpoints", kept, "--database-url", db], environment: Self.key)
        #expect(caught.status == 1, "\(caught.stdout)\(caught.stderr)")
        #expect(caught.stdout.hasPrefix("BROKEN at record 2: record 3 was sealed at "), "\(caught.stdout)")
        #expect(caught.stdout.contains("but the chain ends at record 1: records were removed"))
    }
}
