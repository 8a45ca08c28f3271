import CertWatchCore
import CertWatchDocuments
import CertWatchGate
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// NOP fraud notices imported into a real database: a notice naming the supplier blocks its
/// checks with the notice's date and link and alerts once; a certificate filed later that carries
/// a notice's NOP ID is caught too.
@Suite struct FraudNoticeGateTests {
    typealias Gate = CertificateOnFileGateTests

    static func notice(_ name: String, _ identifier: String? = nil) -> FraudNotice {
        FraudNotice(id: RecordID.make(), operationName: name, identifier: identifier, certifier: "Oregon Tilth",
                    noticeDate: TestDates.today.adding(days: -3), url: "https://www.ams.usda.gov/fraud/\(name.count)")
    }

    @Test(arguments: Backend.allCases)
    func aNoticeNamingTheSupplierBlocksAndAlertsOnce(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let id = try await Gate().verifiedNorthfield(database)
            let gate = PurchaseGate(database: database, policy: PurchasePolicy())
            let before = try await Gate().ask(gate, id)
            #expect(before == ["allow"])

            let notice = Self.notice("NORTHFIELD GRAIN CO-OP, LLC")
            let notices = FraudNoticeStore(database: database)
            let imported = try await notices.importNotices([notice, Self.notice("Somebody Else Entirely")], at: Date())
            #expect(imported.added == 2 && imported.named.map(\.supplier) == [id])
            let check = try await gate.check(.init(supplier: .id(id), product: "Wheat", askedBy: "buyer"))
            #expect(check.decision == .block && check.reasons.map(\.code) == [.fraudNotice])
            #expect(check.reasons[0].message.contains(notice.url) && check.reasons[0].message.contains(notice.noticeDate.description))

            let again = try await notices.importNotices([notice], at: Date())
            #expect(again.added == 0 && again.alreadyKnown == 1)
            let alerts = try await AlertStore(database: database).list(.init(limit: 10)).items.filter { $0.kind == .fraudNotice }
            #expect(alerts.count == 1 && alerts[0].data.noticeUrl == notice.url && alerts[0].supplierId == id)

            let yesterday = try await Gate().ask(gate, id, on: TestDates.today.adding(days: -1))
            #expect(!yesterday.contains("fraud_notice"), "a past date is answered with the notices imported by then")
        }
    }

    @Test(arguments: Backend.allCases)
    func aCertificateCarryingANoticesNOPIDIsCaught(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let id = try await Gate().verifiedNorthfield(database)
            let gate = PurchaseGate(database: database, policy: PurchasePolicy())
            _ = try await FraudNoticeStore(database: database).importNotices([Self.notice("Fake Organics", "5550001111")], at: Date())
            let unnamed = try await Gate().ask(gate, id)
            #expect(unnamed == ["allow"], "the notice names neither Northfield's name nor its NOP ID")

            let document = try await Gate().file(database, id, nop: "5550001111")
            let reading = try #require(try await DocumentStore(database: database).readings(documentIds: [document.id])[document.id])
            #expect(reading.findings.map(\.code).contains(.fraudNotice), "\(reading.findings)")
            let after = try await Gate().ask(gate, id)
            #expect(after == ["block", "fraud_notice", "document_mismatch"])
        }
    }
}
