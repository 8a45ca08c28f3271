import CertWatchCore
import CertWatchGate
import CertWatchStore
import CertWatchTestSupport
import Foundation
import PropertyBased
import SQLKit
import Testing

/// The audit chain against someone who can write the database: the database refuses edits and
/// deletions of purchase checks, and checkpoints sealed with a key it does not hold show a
/// consistent rewrite that `verify()` alone calls intact (issue 21, finding 7).
@Suite struct AuditAnchoringTests {
    static let key = AuditSealKey("a checkpoint key of at least thirty-two characters")!
    static let otherKey = AuditSealKey("another key, also thirty-two characters or more")!

    func checks(_ database: Database, _ count: Int) async throws {
        _ = try await SupplierStore(database: database).create(Fixtures.supplier())
        let gate = PurchaseGate(database: database, policy: PurchasePolicy(), now: { Date() })
        for _ in 0..<count { _ = try await gate.check(.init(supplier: .nopOperationId("8150001234"), product: "avocados", askedBy: "buyer")) }
    }

    /// Seals the head as the checkpoint job does and returns the seal.
    func sealHead(_ database: Database, key: AuditSealKey = Self.key) async throws -> AuditCheckpoint {
        let head = try #require(try await AuditCheckpointStore(database: database).head())
        let checkpoint = AuditCheckpoint.seal(.head, seq: head.seq, hash: head.hash, at: Date(), key: key)
        #expect(try await AuditCheckpointStore(database: database).record([checkpoint], deliveries: { _ in [] }, at: Date()) == [checkpoint])
        return checkpoint
    }

    func run(_ database: Database, _ sql: SQLQueryString) async throws {
        try await database.withConnection { try await $0.raw(sql).run() }
    }

    @Test(arguments: Backend.allCases)
    func theDatabaseRefusesToRewriteTheRecord(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await checks(database, 3)
            for attempt: SQLQueryString in [
                "UPDATE purchase_checks SET decision = 'allow' WHERE seq = 2",
                "DELETE FROM purchase_checks WHERE seq = 3",
                "UPDATE audit_heads SET seq = 2",
                "DELETE FROM audit_heads",
            ] {
                await #expect(throws: (any Error).self, "\(attempt)") { try await run(database, attempt) }
            }
            try await run(database, """
                INSERT INTO retention_purges (id, purged_at, before_date, documents, verifications, purchase_checks)
                VALUES ('p', 'x', 'x', 0, 0, 0)
                """)
            await #expect(throws: (any Error).self, "a purge's record is never changed") {
                try await run(database, "DELETE FROM retention_purges")
            }
            _ = try await sealHead(database)
            await #expect(throws: (any Error).self, "nor is a checkpoint") { try await run(database, "DELETE FROM audit_checkpoints") }
            let report = try await AuditChain(database: database).verify()
            #expect(report.intact && report.checked == 3, "every refused change left the chain as it was: \(report)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aCheckpointShowsTheNewestChecksWereRemovedConsistently(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await checks(database, 5)
            let sealed = try await sealHead(database)
            let chain = AuditChain(database: database)
            let before = try await chain.verify(checkpoints: [sealed], keys: [Self.key])
            #expect(before.intact && before.checkpoints == 1 && before.lastSealed == 5, "\(before)")
            // After a key change, checkpoints the replaced key sealed count while it is listed.
            let byOldKey = AuditCheckpoint.seal(.head, seq: 5, hash: sealed.hash, at: Date(), key: Self.otherKey)
            #expect(try await chain.verify(checkpoints: [byOldKey, sealed], keys: [Self.key, Self.otherKey]).checkpoints == 2)
            #expect(try await chain.verify(checkpoints: [byOldKey, sealed], keys: [Self.key]).intact == false)

            // The attacker deletes checks 4 and 5 and moves the head back to check 3.
            try await AuditTampering.dropGuards(database)
            try await database.withConnection { db in
                let third = try #require(try await db.raw("SELECT hash FROM purchase_checks WHERE seq = 3").first())
                try await db.raw("DELETE FROM purchase_checks WHERE seq > 3").run()
                try await db.update("audit_heads").set("seq", to: 3).set("hash", to: try third.decode(column: "hash", as: String.self)).run()
            }
            #expect(try await chain.verify().intact, "without a checkpoint the rewrite is consistent")
            let after = try await chain.verify(checkpoints: [sealed], keys: [Self.key])
            #expect(after.firstBroken?.seq == 4)
            #expect(after.firstBroken?.problem.contains("record 5 was sealed at") == true, "\(after)")
            #expect(after.firstBroken?.problem.hasSuffix("but the chain ends at record 3: records were removed") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func aCheckpointShowsARewrittenRecordAndRefusesAForgedSeal(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await checks(database, 2)
            let sealed = try await sealHead(database)
            // The attacker rewrites check 2 and recomputes its hash and the head: the chain holds.
            try await AuditTampering.dropGuards(database)
            try await database.withConnection { db in
                try await db.raw("DELETE FROM purchase_checks WHERE seq = 2").run()
                try await db.update("audit_heads").set("seq", to: 1).set("hash", to: try #require(
                    try await db.raw("SELECT hash FROM purchase_checks WHERE seq = 1").first()).decode(column: "hash", as: String.self)).run()
            }
            let gate = PurchaseGate(database: database, policy: PurchasePolicy(), now: { Date() })
            _ = try await gate.check(.init(supplier: .nopOperationId("8150001234"), product: "mangos", askedBy: "attacker"))
            let chain = AuditChain(database: database)
            #expect(try await chain.verify().intact)
            let report = try await chain.verify(checkpoints: [sealed], keys: [Self.key])
            #expect(report.firstBroken == AuditChain.Broken(seq: 2, id: nil, problem: "record 2 is not the one sealed at \(Timestamp.format(sealed.sealedAt)): the chain was rewritten"))

            // A seal the attacker made for the new chain, without the key.
            let head = try #require(try await AuditCheckpointStore(database: database).head())
            let forged = AuditCheckpoint.seal(.head, seq: head.seq, hash: head.hash, at: Date(), key: Self.otherKey)
            let refused = try await chain.verify(checkpoints: [forged], keys: [Self.key])
            #expect(refused.firstBroken?.problem == "a checkpoint of record 2 does not carry this key's seal (audit.checkpointKey)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aPurgeNoCheckpointSealsIsCaught(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await checks(database, 2)
            let early = try await sealHead(database)
            try await checks(database, 2)
            let late = try await sealHead(database)
            // The attacker records a purge through check 3 and deletes checks 1–3: the database
            // allows it (a purge's record comes first), and the chain verifies from check 4.
            let third = try await database.withConnection { db in
                try #require(try await db.raw("SELECT hash FROM purchase_checks WHERE seq = 3").first()).decode(column: "hash", as: String.self)
            }
            try await database.withConnection { db in
                try await db.insert(into: "retention_purges")
                    .columns("id", "purged_at", "before_date", "documents", "verifications", "purchase_checks", "checks_through_seq", "checks_through_hash")
                    .values("fake", Timestamp.format(Date()), CalendarDate(utc: Date()).adding(days: -2_000).description, 0, 0, 3, 3, third).run()
                try await db.raw("DELETE FROM purchase_checks WHERE seq <= 3").run()
            }
            let chain = AuditChain(database: database)
            #expect(try await chain.verify().intact)
            #expect(try await chain.verify(checkpoints: [late], keys: [Self.key]).intact, "the last seal alone cannot see before the purge")
            let report = try await chain.verify(checkpoints: [early, late], keys: [Self.key])
            #expect(report.firstBroken?.seq == 2)
            #expect(report.firstBroken?.problem.hasSuffix("and a purge no checkpoint seals removed it") == true, "\(report)")

            // Sealed, as `retention purge` seals a real one, the same purge verifies.
            let purge = AuditCheckpoint.seal(.purge, seq: 3, hash: third, at: Date(), key: Self.key)
            let sealedPurge = try await chain.verify(checkpoints: [early, late, purge], keys: [Self.key])
            #expect(sealedPurge.intact && sealedPurge.checkpoints == 3 && sealedPurge.purgedThrough == 3, "\(sealedPurge)")
        }
    }

    /// Replicas sealing the same head keep one checkpoint; a head that did not move is not sealed again.
    @Test(arguments: Backend.allCases)
    func aHeadIsSealedOnce(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await checks(database, 1)
            let store = AuditCheckpointStore(database: database)
            let head = try #require(try await store.head())
            let first = AuditCheckpoint.seal(.head, seq: head.seq, hash: head.hash, at: Date(), key: Self.key)
            let second = AuditCheckpoint.seal(.head, seq: head.seq, hash: head.hash, at: Date().addingTimeInterval(60), key: Self.key)
            #expect(try await store.record([first], deliveries: { _ in [] }, at: Date()) == [first])
            #expect(try await store.record([second], deliveries: { _ in [] }, at: Date()) == [])
            #expect(try await store.all() == [first])
        }
    }
}

@Suite struct AuditCheckpointTokenTests {
    @Test func aSealRoundTrips() throws {
        let key = AuditAnchoringTests.key
        let sealed = AuditCheckpoint.seal(.head, seq: 12, hash: String(repeating: "ab", count: 32), at: Date(), key: key)
        print("TOKEN", sealed.token)
        #expect(sealed.isSealed(by: key))
        let parsed = try #require(AuditCheckpoint(token: Substring(sealed.token)))
        #expect(parsed == sealed)
        #expect(parsed.isSealed(by: key))
        #expect(!parsed.isSealed(by: AuditAnchoringTests.otherKey))
    }
}

/// The seal over generated checkpoints: every token reads back as sealed, and changing any one
/// character of it (the record, its hash, the time or the MAC) loses the seal or the token.
@Suite struct AuditCheckpointPropertyTests {
    static let hex = Gen.element(of: Array("0123456789abcdef")).compactMap { $0 }.string(of: 64)

    @Test func anyChangeToATokenLosesItsSeal() async {
        let key = AuditAnchoringTests.key
        await propertyCheck(count: 300, input: Gen.int(in: 1...Int(Int32.max)), Self.hex, Gen.int(in: 0...4_102_444_800), Gen.int(in: 0...170),
                            Gen.element(of: Array("0123456789abcdefz.")).compactMap { $0 }) { seq, hash, seconds, position, replacement in
            let sealed = AuditCheckpoint.seal(.head, seq: seq, hash: hash, at: Date(timeIntervalSince1970: Double(seconds)), key: key)
            #expect(AuditCheckpoint(token: Substring(sealed.token)) == sealed)
            #expect(AuditCheckpoint.tokens(in: Substring("log: \(sealed.token) next")) == [sealed])
            var characters = Array(sealed.token)
            let index = position % characters.count
            guard characters[index] != replacement else { return }
            characters[index] = replacement
            let changed = AuditCheckpoint(token: Substring(String(characters)))
            #expect(changed?.isSealed(by: key) != true, "\(String(characters))")
        }
    }
}
