import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// Many requests writing at once, as schemathesis sent them: on SQLite, writers waiting for the
/// file's lock must not hold every thread the lock's holder needs to commit (they did: four
/// pooled connections shared NIO's two blocking threads, the holder waited out the busy timeout
/// and requests failed with "database is locked").
@Suite struct ConcurrentWriteTests {
    /// Four writers: every pooled connection busy, one holding the lock and three waiting (enough
    /// to starve two threads), few enough that a loaded machine serialises them well within the
    /// 10 s busy timeout (eight did not, once, in CI beside a fuzzer).
    @Test(arguments: Backend.allCases)
    func concurrentWritersAllCommit(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = SupplierStore(database: database)
            let created = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        try await store.create(Supplier(id: RecordID.make(), name: "Writer \(index)")).supplier.id
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(created).count == 4)
            #expect(try await store.list(SupplierQuery(limit: 100)).items.count == 4)
        }
    }

    /// A task that still holds a connection when the database closes (a verification cancelled
    /// by shutdown) hands it back afterwards: the connection must still close. It could not when
    /// the database's threads stopped with it, and SQLiteNIO trapped on the unclosed connection.
    @Test func aConnectionHandedBackAfterCloseStillCloses() async throws {
        let url = try await freshDatabaseURL(.sqlite)
        let database = try Database.open(url, logger: Logger(label: "test"))
        try await Migrations.run(on: database)
        let (holding, held) = AsyncStream.makeStream(of: Void.self)
        let (releasing, release) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await database.withConnection { db in
                    held.yield()
                    for await _ in releasing { break }
                    _ = try await db.raw("SELECT 1 AS one").first()
                }
            }
            for await _ in holding { break }
            try await database.close()
            release.yield()
            try await group.waitForAll()
        }
        // The next database opened runs on the same threads, and they still work.
        let reopened = try Database.open(url, logger: Logger(label: "test"))
        let found = try await reopened.closing { reopened in
            try await SupplierStore(database: reopened).list(SupplierQuery(limit: 1)).items
        }
        #expect(found.isEmpty)
    }
}
