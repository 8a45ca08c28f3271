import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
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
}
