import CertWatchCore
import Testing

// Fixed dates here are a notice's own data (echoed in messages), never compared with the clock.
/// NOP fraud notices: the file operators import, whom a notice names, what a check answers.
@Suite struct FraudNoticeTests {
    static let northfield = Supplier(id: "s1", name: "Northfield Grain Co-op", otherNames: ["Northfield Grains"],
                                     nopOperationId: NOPOperationID("4920007290"),
                                     certificate: Certificate(number: "OT-01-2233", status: .certified))

    static func notice(_ name: String, _ identifier: String? = nil) -> FraudNotice {
        FraudNotice(id: "n1", operationName: name, identifier: identifier, certifier: "Oregon Tilth",
                    noticeDate: CalendarDate(iso: "2026-09-14")!, url: "https://www.ams.usda.gov/fraud/n1")
    }

    @Test func aFileIsReadWholeOrRefusedNamingEveryBadLine() throws {
        let good = Array("""
            operation_name,identifier,certifier,notice_date,url
            "Northfield Grain Co-op, LLC",,Oregon Tilth,2026-09-14,https://www.ams.usda.gov/fraud/1
            Fake Organics,5550001111,,2026-10-01,https://www.ams.usda.gov/fraud/2
            """.utf8)
        let notices = try FraudNoticeCSV.notices(from: good, makeId: { "id" })
        #expect(notices.map(\.operationName) == ["Northfield Grain Co-op, LLC", "Fake Organics"])
        #expect(notices[0].identifier == nil && notices[1].identifier == "5550001111" && notices[1].certifier == nil)

        let bad = Array("""
            operation_name,identifier,certifier,notice_date,url
            Fake Organics,,,14/09/2026,https://www.ams.usda.gov/fraud/2
            ,,,2026-10-01,https://www.ams.usda.gov/fraud/3
            Other,,,2026-10-01,ftp://x
            """.utf8)
        #expect(throws: ValidationFailure.self) { try FraudNoticeCSV.notices(from: bad, makeId: { "id" }) }
        do {
            _ = try FraudNoticeCSV.notices(from: bad, makeId: { "id" })
        } catch {
            #expect(error.errors.map(\.line) == [2, 3, 4])
            #expect(error.errors.map(\.field) == ["notice_date", "operation_name", "url"])
        }
        #expect(throws: ValidationFailure.self) { try FraudNoticeCSV.notices(from: Array("name,url\nx,y\n".utf8), makeId: { "id" }) }
    }

    @Test func aNoticeNamesASupplierByIdentifierOrByName() {
        #expect(Self.notice("NORTHFIELD GRAIN CO-OP, LLC").names(Self.northfield), "case and legal form do not matter")
        #expect(Self.notice("Northfield Grains").names(Self.northfield), "another name")
        #expect(Self.notice("Someone Else", "4920-007290").names(Self.northfield), "its NOP ID, however written")
        #expect(Self.notice("Someone Else", "OT-01-2233").names(Self.northfield), "its certificate number")
        #expect(!Self.notice("Northfield Grain").names(Self.northfield), "a different name is no match")
    }

    @Test func aNoticeBlocksTheCheckWithItsDateAndLinkOnce() {
        var facts = PurchasePolicyTests.facts()
        facts.fraudNotices = [Self.notice("Northfield Grain Co-op")]
        facts.certificateOnFile = CertificateOnFile(documentId: "d1", uploadedAt: PurchasePolicyTests.now,
                                                    findings: [.init(.fraudNotice, Self.notice("Northfield Grain Co-op").sentence)])
        let answer = PurchasePolicy().assess(facts)
        #expect(answer.decision == .block)
        #expect(answer.reasons.map(\.code) == [.fraudNotice], "the same notice through the supplier and the paper counts once")
        #expect(answer.reasons[0].message.contains("2026-09-14") && answer.reasons[0].message.contains("https://www.ams.usda.gov/fraud/n1"))
    }

    @Test func thePaperCarryingANoticesIdentifierOrNameIsFound() {
        let paper = CertificateText("ORGANIC CERTIFICATE\nFake Organics\nNOP ID: 5550001111\nCertifier: Oregon Tilth\n")
        let findings = CertificateCrossCheck.findings(paper, supplier: Self.northfield, otherOperations: [],
                                                      notices: [Self.notice("Unrelated Farm", "5550001111"), Self.notice("Nobody At All")])
        #expect(findings.filter { $0.code == .fraudNotice }.count == 1)
        let byName = CertificateCrossCheck.findings(CertificateText("Fake Organics, Inc.\nNOP ID 4920007290"), supplier: Self.northfield,
                                                    otherOperations: [], notices: [Self.notice("FAKE ORGANICS")])
        #expect(byName.contains { $0.code == .fraudNotice })
    }
}
