import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// The store's contract: every test runs on SQLite and on PostgreSQL.
@Suite struct SupplierStoreTests {
    @Test(arguments: Backend.allCases)
    func aSupplierRoundTripsWithEveryField(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = SupplierStore(database: database)
            let created = try await store.create(Fixtures.supplier())
            #expect(created.supplier == Fixtures.supplier())
            let read = try #require(try await store.get(id: "s-valle"))
            #expect(read.supplier == Fixtures.supplier())
            #expect(read.supplier.certificate?.scopes[.handling]?.status == .other("Applied; APEDA Certified"))
            #expect(try await store.find(nopOperationId: NOPOperationID("8150001234")!)?.supplier.id == "s-valle")
            #expect(try await store.lookup("valle verde aguacates").map(\.supplier.id) == ["s-valle"])
        }
    }

    @Test(arguments: Backend.allCases)
    func aNOPOperationIDBelongsToOneSupplier(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = SupplierStore(database: database)
            _ = try await store.create(Fixtures.supplier())
            await #expect(throws: StoreError.duplicateNOPOperationID("8150001234", existingSupplierId: "s-valle")) {
                try await store.create(Fixtures.supplier(id: "s-other", name: "Someone else"))
            }
            #expect(try await store.count() == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func replaceChangesEverythingAndKeepsCreatedAt(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = TestClock()
            let store = SupplierStore(database: database, now: clock.now)
            let created = try await store.create(Fixtures.supplier())
            clock.advance(60)
            var changed = Fixtures.supplier(status: .suspended, tags: ["paused"])
            changed.certificate?.items = [CertifiedItem(scope: .crops, items: ["Limes"])]
            let replaced = try await store.replace(changed)
            #expect(replaced.supplier == changed)
            #expect(replaced.createdAt == created.createdAt)
            #expect(replaced.updatedAt == created.createdAt.addingTimeInterval(60))
            await #expect(throws: StoreError.notFound("supplier nobody")) {
                try await store.replace(Fixtures.supplier(id: "nobody", nop: nil))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func deleteRemovesCertificateItemsAndTags(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = SupplierStore(database: database)
            _ = try await store.create(Fixtures.supplier())
            #expect(try await store.delete(id: "s-valle"))
            #expect(try await store.delete(id: "s-valle") == false)
            for table in ["certificates", "certificate_items", "supplier_tags"] {
                let count = try await database.withConnection {
                    try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self)
                }
                #expect(count == 0, "\(table)")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func listFiltersByStatusTextAndTag(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = SupplierStore(database: database)
            _ = try await store.create(Fixtures.supplier(id: "a", name: "Alpha Farms", nop: "1000000001", tags: ["grain"]))
            _ = try await store.create(Fixtures.supplier(id: "b", name: "Beta 100% Organics", nop: "1000000002", status: .suspended, tags: ["Fruit"]))
            _ = try await store.create(Supplier(id: "c", name: "Gamma (no certificate)"))
            func names(_ query: SupplierQuery) async throws -> [String] {
                try await store.list(query).items.map(\.supplier.name)
            }
            #expect(try await names(SupplierQuery(status: "suspended")) == ["Beta 100% Organics"])
            #expect(try await names(SupplierQuery(status: "none")) == ["Gamma (no certificate)"])
            #expect(try await names(SupplierQuery(text: "FARMS")) == ["Alpha Farms"])
            #expect(try await names(SupplierQuery(text: "100%")) == ["Beta 100% Organics"], "% is matched literally")
            #expect(try await names(SupplierQuery(text: "1000000002")) == ["Beta 100% Organics"])
            #expect(try await names(SupplierQuery(text: "valle verde")).count == 2, "other names are searched")
            #expect(try await names(SupplierQuery(tag: "fruit")) == ["Beta 100% Organics"])
            #expect(try await names(SupplierQuery(status: "certified", tag: "fruit")).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func pagesVisitEverySupplierOnceInNameOrder(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = SupplierStore(database: database)
            let names = (0..<23).map { String(format: "Supplier %02d", ($0 * 7) % 23) } + ["Supplier 05"]
            for (index, name) in names.enumerated() {
                _ = try await store.create(Supplier(id: "id-\(index)", name: name))
            }
            var seen: [String] = []
            var query = SupplierQuery(limit: 5)
            var pages = 0
            repeat {
                let page = try await store.list(query)
                seen += page.items.map(\.supplier.id)
                query.cursor = page.nextCursor
                pages += 1
            } while query.cursor != nil
            #expect(pages == 5)
            #expect(seen.count == 24 && Set(seen).count == 24)
            let all = try await store.list(SupplierQuery(limit: 100)).items.map(\.supplier.name)
            #expect(all == names.sorted())
            await #expect(throws: InvalidCursor.self) { try await store.list(SupplierQuery(cursor: "garbage")) }
        }
    }

    @Test(arguments: Backend.allCases)
    func migrationsApplyOnce(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database async throws in
            #expect(try await Migrations.run(on: database).isEmpty)
            #expect(try await Migrations.currentVersion(of: database) == Migrations.steps.last?.version)
        }
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private var current = Date(timeIntervalSince1970: 1_795_000_000)
    private let lock = NSLock()

    var now: @Sendable () -> Date { { [self] in lock.withLock { current } } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}
