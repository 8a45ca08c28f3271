import CertWatchCore
import CertWatchGate
import CertWatchStore
import CertWatchTestSupport
import Foundation
import SQLKit
import Testing

// Fixed dates here are relative to the injected clocks, never to the real clock.
/// Retention against a real database: what a purge may remove, a purge that is too early
/// refused and changing nothing, and the audit chain still verifying after its old part is gone.
@Suite struct RetentionTests {
    static let old = Timestamp.parse("2025-01-10T09:00:00.000Z")!
    static let recent = Timestamp.parse("2027-03-01T09:00:00.000Z")!
    static let today = Timestamp.parse("2031-06-15T12:00:00.000Z")!
    static let period = RetentionPeriod(years: 5)!

    static func pdf(_ text: String) -> [UInt8] { Array("%PDF-1.4\n% \(text)\n%%EOF\n".utf8) }

    func verify(_ database: Database, _ supplier: StoredSupplier, at: Date) async throws {
        try await VerificationStore(database: database).record(
            [.init(supplier: supplier, decision: VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil), foundStatus: "Certified")],
            runId: RecordID.make(), evidence: .init(source: "test", url: nil, digest: nil, at: at))
    }

    func check(_ database: Database, at: Date, times: Int) async throws {
        let gate = PurchaseGate(database: database, policy: PurchasePolicy(), now: { at })
        for _ in 0..<times { _ = try await gate.check(.init(supplier: .nopOperationId("8150001234"), product: "avocados", askedBy: "buyer")) }
    }

    /// Supplier A verified long ago and recently; supplier B only long ago (its latest); two old
    /// documents and a recent one (one content shared); three old checks and two recent ones.
    func records(_ database: Database) async throws -> (a: StoredSupplier, recentDocument: StoredDocument) {
        let suppliers = SupplierStore(database: database)
        let a = try await suppliers.create(Fixtures.supplier())
        let b = try await suppliers.create(Supplier(id: RecordID.make(), name: "Other Farm", nopOperationId: NOPOperationID("1230004567")))
        try await verify(database, a, at: Self.old)
        try await verify(database, b, at: Self.old)
        try await verify(database, a, at: Self.recent)
        let then = DocumentStore(database: database, now: { Self.old }), later = DocumentStore(database: database, now: { Self.recent })
        _ = try await then.add(supplierId: a.supplier.id, kind: .organicCertificate, fileName: "a.pdf", bytes: Self.pdf("A"), uploadedBy: "t")
        _ = try await then.add(supplierId: a.supplier.id, kind: .other, fileName: "b.pdf", bytes: Self.pdf("B"), uploadedBy: "t")
        let recentDocument = try await later.add(supplierId: a.supplier.id, kind: .organicCertificate, fileName: "b.pdf", bytes: Self.pdf("B"), uploadedBy: "t")
        try await check(database, at: Self.old, times: 3)
        try await check(database, at: Self.recent, times: 2)
        return (a, recentDocument)
    }

    @Test(arguments: Backend.allCases)
    func aPurgeRemovesOnlyWhatOutlivedTheRetentionAndTheChainStillVerifies(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let (a, recentDocument) = try await records(database)
            let retention = RetentionStore(database: database, period: Self.period, now: { Self.today })
            let report = try await retention.report()
            let third = try await PurchaseCheckStore(database: database).list(.init()).items.first { $0.seq == 3 }
            #expect(report == .init(before: CalendarDate(iso: "2026-06-16")!, documents: 2, verifications: 1, purchaseChecks: 3,
                                    checksThrough: third.map { AuditCheckpointStore.Place(seq: 3, hash: $0.hash) }),
                    "B's only verification is its latest and stays; the third check is the last to go")

            await #expect(throws: RetentionStore.TooRecent.self) { try await retention.purge(before: CalendarDate(iso: "2026-06-17")!) }
            #expect(try await retention.report() == report, "a refused purge changes nothing")

            #expect(try await retention.purge(before: report.before) == report)
            let documents = DocumentStore(database: database)
            #expect(try await documents.list(supplierId: a.supplier.id).map(\.id) == [recentDocument.id])
            #expect(try await documents.contentCount() == 1, "the content only old documents used is gone, the shared one stays")
            #expect(try await VerificationStore(database: database).history(supplierId: a.supplier.id).count == 1)
            let chain = try await AuditChain(database: database).verify()
            #expect(chain.intact && chain.checked == 2 && chain.purgedThrough == 3, "\(chain)")

            try await check(database, at: Self.today, times: 1)
            #expect(try await AuditChain(database: database).verify().checked == 3, "checks append after a purge as before")
            try await AuditTampering.dropGuards(database)
            try await database.withConnection { db in
                try await db.update("purchase_checks").set("product", to: "mangos").where("seq", .equal, 4).run()
            }
            #expect(try await AuditChain(database: database).verify().firstBroken?.seq == 4, "an edit after a purge is still caught")
            #expect(try await retention.report().purchaseChecks == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func aDocumentIsDeletedOnlyAfterTheRetentionPeriod(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let (a, recentDocument) = try await records(database)
            let retention = RetentionStore(database: database, period: Self.period, now: { Self.today })
            #expect(try await retention.deleteDocument(id: recentDocument.id) == .kept(until: CalendarDate(iso: "2032-03-01")!))
            #expect(try await DocumentStore(database: database).list(supplierId: a.supplier.id).count == 3, "nothing was deleted")
            let old = try #require(try await DocumentStore(database: database).list(supplierId: a.supplier.id).last)
            #expect(try await retention.deleteDocument(id: old.id) == .deleted)
            #expect(try await retention.deleteDocument(id: old.id) == .notFound)
        }
    }

    @Test func theDeletableDayIsTheSameDayYearsLater() {
        #expect(Self.period.deletableFrom(Timestamp.parse("2028-02-29T10:00:00.000Z")!) == CalendarDate(iso: "2033-03-01"))
        #expect(Self.period.latestPurgeDate(today: CalendarDate(iso: "2031-06-15")!) == CalendarDate(iso: "2026-06-16"))
        #expect(RetentionPeriod(years: 4) == nil, "7 CFR 205.103 asks for five")
    }
}
