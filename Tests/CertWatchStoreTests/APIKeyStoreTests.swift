import CertWatchStore
import CertWatchTestSupport
import Testing

@Suite struct APIKeyStoreTests {
    @Test(arguments: Backend.allCases)
    func keysAuthenticateUntilRevokedAndOnlyTheirHashIsStored(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let keys = APIKeyStore(database: database)
            let (key, secret) = try await keys.create(name: "erp", role: .purchaser)
            #expect(secret.hasPrefix("cwk_") && secret.count == 68)
            #expect(try await keys.authenticate(secret)?.name == "erp")
            #expect(try await keys.authenticate(secret + "x") == nil)
            let stored = try await database.withConnection { db in
                try await db.raw("SELECT * FROM api_keys").all().map { row in
                    try row.allColumns.compactMap { try row.decode(column: $0, as: String?.self) }
                }
            }
            #expect(stored.count == 1)
            #expect(!stored[0].contains(secret), "the key itself is never stored")
            await #expect(throws: StoreError.duplicateKeyName("erp")) { try await keys.create(name: "erp", role: .admin) }
            #expect(try await keys.revoke(name: "erp"))
            #expect(try await keys.revoke(name: "erp") == false)
            #expect(try await keys.authenticate(secret) == nil)
            #expect(try await keys.list().map(\.prefix) == [key.prefix])
            #expect(try await keys.list().first?.revokedAt != nil)
        }
    }
}
