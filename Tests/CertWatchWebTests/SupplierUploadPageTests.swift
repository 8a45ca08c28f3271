import CertWatchApp
import CertWatchCore
import CertWatchGate
import CertWatchRequests
import CertWatchStore
import CertWatchTestSupport
@testable import CertWatchWeb
import Foundation
import Hummingbird
import SQLKit
import Testing

/// The supplier's upload page, driven as a supplier's browser drives it: the link from a
/// request, the form, real PDFs (fpdf2) read by pdftotext, and the purchase gate afterwards.
@Suite struct SupplierUploadPageTests {
    static let anniversary = TestDates.today.adding(days: 150)
    static var usDate: String { String(format: "%02d/%02d/%04d", anniversary.month, anniversary.day, anniversary.year) }

    static var settings: Settings {
        var settings = Settings()
        settings.requests.handlerName = "Example Organic Foods"
        settings.requests.maxUploadsPerLink = 6
        settings.documentMaxBytes = 200_000
        return settings
    }

    /// Northfield, certified for Wheat, and Prairie Dairy beside it (whose name must never show).
    static func registry(_ database: Database) async throws -> String {
        let store = SupplierStore(database: database)
        let certificate = Certificate(status: .certified, anniversaryDate: anniversary, scopes: [.crops: ScopeStatus(status: .certified)],
                                      items: [CertifiedItem(scope: .crops, items: ["Wheat"], status: .certified)])
        let northfield = try await store.create(Supplier(id: RecordID.make(), name: "Northfield Grain Co-op", nopOperationId: NOPOperationID("4920007290"),
                                                         certifier: "Oregon Tilth", supplierEmails: ["quality@northfield.example"], certificate: certificate))
        _ = try await store.create(Supplier(id: RecordID.make(), name: "Prairie Dairy Farms", nopOperationId: NOPOperationID("1230004567")))
        try await VerificationStore(database: database).record(
            [.init(supplier: northfield, decision: VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil), foundStatus: "Certified")],
            runId: RecordID.make(), evidence: .init(source: "test", url: nil, digest: nil, at: Date()))
        return northfield.supplier.id
    }

    /// A request as an admin opens it, with the link shown (no mail server here): its path.
    static func requestLink(_ database: Database, _ id: String, kinds: [DocumentKind]? = nil) async throws -> (path: String, requests: [CertificateRequest]) {
        let requests = CertificateRequests(database: database, settings: settings.requests, mailer: nil, publicURL: nil, pageURL: "http://127.0.0.1:1/")
        let sent = try await requests.request(supplierId: id, kinds: kinds, by: "admin@example.com", showLink: true)
        let link = try #require(sent.link)
        let path = try #require(link.firstRange(of: "/upload/").map { String(link[$0.lowerBound...]) })
        return (path, sent.requests)
    }

    /// Northfield's certificate naming `nop`, made once per NOP ID for the whole suite (each
    /// PDF is a Python process; the suite runs beside timing-sensitive ones).
    static func certificate(nop: String = "4920007290") async throws -> [UInt8] {
        try await (nop == "4920007290" ? matching : forged).value
    }

    static let matching = Task { try await CertificatePDF.make("certificate", "Northfield Grain Co-op", "4920007290", usDate, "Oregon Tilth", "Wheat") }
    static let forged = Task { try await CertificatePDF.make("certificate", "Northfield Grain Co-op", "1230004567", usDate, "Oregon Tilth", "Wheat") }

    static func documentCount(_ database: Database, _ id: String) async throws -> Int {
        try await DocumentStore(database: database).list(supplierId: id).count
    }

    @Test(arguments: Backend.allCases)
    func thePageNamesWhoAsksAndNothingElse(_ backend: Backend) async throws {
        try await PageServer.run(backend, app: Self.settings) { server, browser in
            let id = try await Self.registry(server.database)
            let (path, _) = try await Self.requestLink(server.database, id)
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            #expect(page.html.contains("Example Organic Foods") && page.html.contains("Northfield Grain Co-op"))
            #expect(page.html.contains("name=\"file_organic_certificate\""))
            #expect(!page.html.contains("Prairie Dairy") && !page.html.contains("<nav") && !page.html.contains("href=\"/\""),
                    "no other supplier, no navigation, no link into the site")
            #expect(page.headers[values: .setCookie].isEmpty, "no session is started")
            #expect(page.headers[.referrerPolicy] == "no-referrer")
            let unknown = try await browser.get("/upload/" + String(repeating: "a", count: 64))
            #expect(unknown.status == .notFound && unknown.html.contains("not known"))
            #expect(try await browser.get("/upload/short").status == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func aMatchingCertificateAnswersTheRequestAndTheLinkStops(_ backend: Backend) async throws {
        try await PageServer.run(backend, app: Self.settings) { server, browser in
            let id = try await Self.registry(server.database)
            let (path, requests) = try await Self.requestLink(server.database, id)
            let answer = try await browser.postFiles(path, [("file_organic_certificate", "certificate.pdf", try await Self.certificate())])
            #expect(answer.status == .ok, "\(answer.html)")
            #expect(answer.html.contains("Received") && answer.html.contains("certificate.pdf"))
            #expect(!answer.html.contains("INTEGRITY profile") && !answer.html.contains("Agrees"), "the supplier is not shown the verdict")

            let documents = try await DocumentStore(database: server.database).list(supplierId: id)
            #expect(documents.count == 1 && documents.first?.uploadedBy == "request:\(requests[0].id)")
            let request = try await CertificateRequestStore(database: server.database).get(id: requests[0].id)
            #expect(request?.state == .answered && request?.documentId == documents.first?.id)
            let alerts = try await AlertStore(database: server.database).list(.init(limit: 10)).items.filter { $0.kind == .documentReceived }
            #expect(alerts.count == 1 && alerts.first?.data.verdict == "agrees", "the compliance manager is told it agrees")

            let again = try await browser.get(path)
            #expect(again.status == .gone && again.html.contains("were received"))
            let replay = try await browser.postFiles(path, [("file_organic_certificate", "again.pdf", try await Self.certificate())])
            #expect(replay.status == .gone)
            #expect(try await Self.documentCount(server.database, id) == 1, "a used link files nothing")
        }
    }

    @Test(arguments: Backend.allCases)
    func aForgedCertificateIsFiledAndTheGateBlocks(_ backend: Backend) async throws {
        try await PageServer.run(backend, app: Self.settings) { server, browser in
            let id = try await Self.registry(server.database)
            let (path, _) = try await Self.requestLink(server.database, id)
            let forged = try await Self.certificate(nop: "1230004567")
            #expect(try await browser.postFiles(path, [("file_organic_certificate", "certificate.pdf", forged)]).status == .ok)
            let check = try await PurchaseGate(database: server.database, policy: PurchasePolicy())
                .check(.init(supplier: .id(id), product: "Wheat", askedBy: "buyer"))
            #expect(check.decision == .block && check.reasons.map(\.code).contains(.documentOfAnotherOperation))
            let kinds = try await AlertStore(database: server.database).list(.init(limit: 10)).items.map(\.kind)
            #expect(kinds.contains(.documentMismatch) && kinds.contains(.documentReceived))
            let received = try await AlertStore(database: server.database).list(.init(limit: 10)).items.first { $0.kind == .documentReceived }
            #expect(received?.data.verdict == "disagrees" && received?.data.findings?.contains("nop_id_of_another_operation") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func badUploadsAndDeadLinksWriteNothing(_ backend: Backend) async throws {
        try await PageServer.run(backend, app: Self.settings) { server, browser in
            let id = try await Self.registry(server.database)
            let (path, requests) = try await Self.requestLink(server.database, id, kinds: [.organicCertificate])
            let tooLarge = try await browser.postFiles(path, [("file_organic_certificate", "big.pdf", Array("%PDF-".utf8) + Array(repeating: 0x20, count: 200_001))])
            #expect(tooLarge.status == .contentTooLarge)
            let notAPDF = try await browser.postFiles(path, [("file_organic_certificate", "certificate.pdf", Array("<html>not a pdf</html>".utf8))])
            #expect(notAPDF.status == .unsupportedMediaType && notAPDF.html.contains("Nothing was received"))
            let unrequested = try await browser.postFiles(path, [("file_import_certificate", "ic.pdf", try await Self.certificate())])
            #expect(unrequested.status == .unprocessableContent, "a kind not asked for")
            let empty = try await browser.postFiles(path, [("file_organic_certificate", "", [])])
            #expect(empty.status == .unprocessableContent)
            #expect(try await Self.documentCount(server.database, id) == 0)
            #expect(try await CertificateRequestStore(database: server.database).get(id: requests[0].id)?.state == .open)

            _ = try await CertificateRequestStore(database: server.database).close(id: requests[0].id, by: "admin@example.com")
            let withdrawn = try await browser.postFiles(path, [("file_organic_certificate", "certificate.pdf", try await Self.certificate())])
            #expect(withdrawn.status == .gone && withdrawn.html.contains("withdrew"))
            #expect(try await Self.documentCount(server.database, id) == 0, "a withdrawn link files nothing")
        }
    }

    @Test(arguments: Backend.allCases)
    func anExpiredLinkSaysSo(_ backend: Backend) async throws {
        try await PageServer.run(backend, app: Self.settings) { server, browser in
            let id = try await Self.registry(server.database)
            let requests = CertificateRequests(database: server.database, settings: Self.settings.requests, mailer: nil, publicURL: nil,
                                               pageURL: "http://x/", now: { server.now.date() })
            let link = try #require(try await requests.request(supplierId: id, by: "admin@example.com", showLink: true).link)
            let path = String(link.dropFirst("http://x".count))
            server.now.advance(seconds: 31 * 86_400)
            let expired = try await browser.postFiles(path, [("file_organic_certificate", "certificate.pdf", try await Self.certificate())])
            #expect(expired.status == .gone && expired.html.contains("expired"))
            #expect(try await Self.documentCount(server.database, id) == 0)
            #expect(try await requests.list(supplierId: id).map(\.state) == [.expired])
        }
    }

    @Test(arguments: Backend.allCases)
    func uploadsAreLimitedPerLink(_ backend: Backend) async throws {
        try await PageServer.run(backend, app: Self.settings) { server, browser in
            let id = try await Self.registry(server.database)
            let (path, _) = try await Self.requestLink(server.database, id)
            for _ in 0..<Self.settings.requests.maxUploadsPerLink {
                #expect(try await browser.postFiles(path, [("file_organic_certificate", "x.txt", Array("text".utf8))]).status == .unsupportedMediaType)
            }
            let limited = try await browser.postFiles(path, [("file_organic_certificate", "certificate.pdf", try await Self.certificate())])
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
            #expect(try await Self.documentCount(server.database, id) == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func anImportersExporterSendsBothDocumentsAtOnce(_ backend: Backend) async throws {
        try await PageServer.run(backend, app: Self.settings) { server, browser in
            let store = SupplierStore(database: server.database)
            let exporter = try await store.create(Supplier(id: RecordID.make(), name: "Bergkräuter Genossenschaft", country: "Austria",
                                                           supplierEmails: ["export@bergkraeuter.example"])).supplier.id
            let (path, requests) = try await Self.requestLink(server.database, exporter)
            #expect(requests.map(\.kind) == [.organicCertificate, .importCertificate])
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 32)
            let answer = try await browser.postFiles(path, [("file_organic_certificate", "certificate.pdf", try await Self.certificate()),
                                                            ("file_import_certificate", "import.html", png)])
            #expect(answer.status == .ok && answer.html.contains("Nothing more is needed"))
            let names = try await DocumentStore(database: server.database).list(supplierId: exporter).map { $0.fileName ?? "" }.sorted()
            #expect(names == ["certificate.pdf", "import.html.png"], "a file is named for what its bytes are")
            let states = try await CertificateRequestStore(database: server.database).list(supplierId: exporter).map(\.state)
            #expect(states == [.answered, .answered])
        }
    }

    @Test(arguments: Backend.allCases)
    func madeUpLinksAreLimitedPerAddressAndWriteNothingElse(_ backend: Backend) async throws {
        var settings = Self.settings
        settings.requests.maxUploadsPerAddress = 3
        try await PageServer.run(backend, app: settings) { server, browser in
            for attempt in 0..<3 {
                #expect(try await browser.get("/upload/" + String(repeating: "\(attempt)", count: 64)).status == .notFound)
            }
            let limited = try await browser.postFiles("/upload/" + String(repeating: "9", count: 64), [("file_organic_certificate", "c.pdf", [1])])
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
            let rows = try await server.database.withConnection { try await $0.select().column("subject").from("sign_in_failures").all() }
            #expect(try rows.map { try $0.decode(column: "subject", as: String.self) }.allSatisfy { $0.hasPrefix("upload-address:") },
                    "made-up links add no row of their own")
            #expect(rows.count == 1)
        }
    }

    @Test func theTokenNeverReachesTheLog() {
        let token = String(repeating: "ab", count: 32)
        #expect(PageErrorMiddleware.loggable("/upload/" + token) == "/upload/…")
        #expect(PageErrorMiddleware.loggable("/set-password/" + token) == "/set-password/…")
    }
}
