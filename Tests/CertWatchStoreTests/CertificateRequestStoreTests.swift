import CertWatchCore
import CertWatchTestSupport
import Foundation
import SQLKit
import Testing

@testable import CertWatchStore

/// The database keeps one open request per supplier and kind, finds links by their hash only,
/// and lets one of two racing uploads answer a request.
@Suite struct CertificateRequestStoreTests {
    func supplier(_ database: Database) async throws -> String {
        try await SupplierStore(database: database).create(
            Supplier(id: RecordID.make(), name: "Valle Verde", contactEmails: ["buyer@handler.example"],
                     supplierEmails: ["calidad@valleverde.example"])).supplier.id
    }

    @Test(arguments: Backend.allCases)
    func oneOpenRequestPerKindUntilItCloses(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = TestNow()
            let store = CertificateRequestStore(database: database, now: { clock.date() })
            let id = try await supplier(database)
            #expect(try await SupplierStore(database: database).get(id: id)?.supplier.supplierEmails == ["calidad@valleverde.example"])
            let first = try await store.open(supplierId: id, kinds: [.organicCertificate], recipients: [], origin: .manual, by: "a", lifetime: .seconds(86_400))
            await #expect(throws: CertificateRequestStore.AlreadyOpen.self) {
                _ = try await store.open(supplierId: id, kinds: [.importCertificate, .organicCertificate], recipients: [], origin: .manual,
                                         by: "a", lifetime: .seconds(86_400))
            }
            #expect(try await store.list(supplierId: id).count == 1, "all or none: the import certificate was not opened either")
            _ = try await store.close(id: first.requests[0].id, by: "a")
            let second = try await store.open(supplierId: id, kinds: [.organicCertificate], recipients: [], origin: .manual, by: "a", lifetime: .seconds(60))
            clock.advance(seconds: 61)
            let third = try await store.open(supplierId: id, kinds: [.organicCertificate], recipients: [], origin: .manual, by: "a", lifetime: .seconds(60))
            #expect(try await store.get(id: second.requests[0].id)?.state == .expired, "a request past its time frees its kind")
            #expect(try await store.get(id: third.requests[0].id)?.state == .open)
        }
    }

    @Test(arguments: Backend.allCases)
    func aLinkIsFoundByItsTokenOnlyAndOneUploadWins(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let store = CertificateRequestStore(database: database)
            let id = try await supplier(database)
            let (requests, token) = try await store.open(supplierId: id, kinds: [.organicCertificate], recipients: [], origin: .manual, by: "a",
                                                         lifetime: .seconds(3_600))
            let reminder = try await store.issueLink(for: requests)
            #expect(reminder != token, "each email has a link of its own")
            guard case .open = try await store.link(token: reminder) else { Issue.record("the second link does not open"); return }
            guard case .open(let link) = try await store.link(token: token) else { Issue.record("the link does not open"); return }
            #expect(link.supplierId == id && link.requests.map(\.id) == requests.map(\.id))
            var wrong = Array(token)
            wrong[0] = wrong[0] == "a" ? "b" : "a"
            #expect(try await store.link(token: String(wrong)) == .unknown, "a token of the right shape but wrong finds nothing")
            #expect(try await store.link(token: token.uppercased()) == .unknown)
            let stored = try await database.withConnection { try await $0.select().column("token_hash").from("certificate_request_links").all() }
            #expect(try stored.allSatisfy { try $0.decode(column: "token_hash", as: String.self) != token }, "only the hash is stored")

            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<2 {
                    group.addTask {
                        try await database.transaction { db in
                            try await store.answer(requestId: requests[0].id, documentId: "doc-\(index)", by: "request", in: db)
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            #expect(try await store.link(token: token) == .closed(.answered))
        }
    }
}
