import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Testing

/// The INTEGRITY directory is rewritten only when what it lists changed.
@Suite struct IntegrityDirectoryStoreTests {
    static func entry(_ id: String, _ name: String, status: String = "Certified") -> IntegrityDirectoryEntry {
        IntegrityDirectoryEntry(nopOperationId: id, name: name, otherNames: ["\(name) Co-op"], city: "Fresno", country: "US",
                                certifier: "CCOF", status: status)
    }

    @Test(arguments: Backend.allCases)
    func anUnchangedDirectoryIsNotRewrittenAndAChangedOneIs(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = IntegrityDirectoryStore(database: database)
            let first = [Self.entry("1000000001", "Valle Verde"), Self.entry("1000000002", "Northfield Grain")]
            let wrote = try await store.replace(with: first)
            let wroteAgain = try await store.replace(with: first)
            #expect(wrote && !wroteAgain, "the same directory is left as it is")
            var changed = first
            changed[1].status = "Suspended"
            let wroteChange = try await store.replace(with: changed)
            let found = try await store.search("northfield")
            #expect(wroteChange && found.map(\.status) == ["Suspended"])
            let wroteShorter = try await store.replace(with: [changed[0]])
            let gone = try await store.search("northfield")
            #expect(wroteShorter && gone.isEmpty, "an operation no longer listed leaves the directory")
        }
    }
}
