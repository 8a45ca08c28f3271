import CertWatchCore
import CertWatchNotify
import CertWatchRequests
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// The `certificate-requests` job on a moving clock, with the emails arriving at a real SMTP
/// server: reminders on their days and none after an answer, expiry, automatic requests once per
/// governing date, and a failed email tried again with a new link.
@Suite struct CertificateRequestJobTests {
    static func requests(_ database: Database, _ clock: TestNow, smtpPort: Int) -> CertificateRequests {
        var settings = RequestSettings()
        settings.handlerName = "Example Organic Foods"
        let mailer = SMTPMailer(settings: SMTPSettings(url: "smtp://127.0.0.1:\(smtpPort)", from: "certwatch@example.org", startTLS: .off))
        return CertificateRequests(database: database, settings: settings, mailer: mailer, publicURL: "https://certwatch.example.com/",
                                   pageURL: "https://certwatch.example.com/", now: { clock.date() })
    }

    static func supplier(_ database: Database, anniversary: CalendarDate?, emails: [String] = ["q@valleverde.example"]) async throws -> String {
        let certificate = anniversary.map { Certificate(status: .certified, anniversaryDate: $0) }
        return try await SupplierStore(database: database).create(
            Supplier(id: RecordID.make(), name: "Valle Verde", supplierEmails: emails, certificate: certificate)).supplier.id
    }

    /// A real SMTP sink, a database of `backend`, a clock to move, and the requests on them.
    static func withRequests(_ backend: Backend,
                             _ body: (SMTPSink, Database, TestNow, CertificateRequests) async throws -> Void) async throws {
        try await SMTPSink.with { smtp in
            try await withTestDatabase(backend) { database in
                let clock = TestNow()
                try await body(smtp, database, clock, requests(database, clock, smtpPort: smtp.port))
            }
        }
    }

    static func links(_ messages: [SMTPSink.Message]) -> [String] {
        messages.compactMap { message in (message.textBody ?? "").split(separator: "\n").first { $0.contains("/upload/") }.map(String.init) }
    }

    @Test(arguments: Backend.allCases)
    func remindersGoOnTheirDaysWithNewLinksUntilTheRequestExpires(_ backend: Backend) async throws {
        try await Self.withRequests(backend) { smtp, database, clock, requests in
            let id = try await Self.supplier(database, anniversary: nil)
            _ = try await requests.request(supplierId: id, by: "admin@example.com")
            #expect(try await requests.runDue().counts.values.allSatisfy { $0 == 0 }, "nothing is due the day it was asked")
            clock.advance(seconds: 7 * 86_400 + 60)
            #expect(try await requests.runDue().reminded == 1)
            #expect(try await requests.runDue().reminded == 0, "a reminder goes once")
            clock.advance(seconds: 7 * 86_400)
            #expect(try await requests.runDue().reminded == 1)
            let mails = try await smtp.waitFor(3)
            #expect(mails.map(\.subject).filter { $0.hasPrefix("Reminder: ") }.count == 2)
            let links = Self.links(mails)
            #expect(Set(links).count == 3, "each email has a link of its own")
            let store = CertificateRequestStore(database: database, now: { clock.date() })
            for link in links {
                guard case .open = try await store.link(token: String(link.suffix(64))) else { Issue.record("an older link stopped working"); return }
            }
            #expect(try await store.list(supplierId: id).first?.emailsSent == 3)
            clock.advance(seconds: 17 * 86_400)
            let run = try await requests.runDue()
            #expect(run.expired == 1 && run.reminded == 0)
            #expect(try await store.link(token: String(links[0].suffix(64))) == .closed(.expired))
        }
    }

    @Test(arguments: Backend.allCases)
    func aWithdrawnRequestIsNotReminded(_ backend: Backend) async throws {
        try await Self.withRequests(backend) { smtp, database, clock, requests in
            let id = try await Self.supplier(database, anniversary: nil)
            let sent = try await requests.request(supplierId: id, by: "admin@example.com")
            _ = try await requests.withdraw(id: sent.requests[0].id, by: "admin@example.com")
            clock.advance(seconds: 8 * 86_400)
            #expect(try await requests.runDue().reminded == 0)
            #expect(try await smtp.messages().count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func aSupplierIsAskedByItselfOncePerGoverningDate(_ backend: Backend) async throws {
        try await Self.withRequests(backend) { smtp, database, clock, requests in
            let today = CalendarDate(utc: clock.date())
            let near = try await Self.supplier(database, anniversary: today.adding(days: 45))
            _ = try await Self.supplier(database, anniversary: today.adding(days: 45), emails: [])
            _ = try await Self.supplier(database, anniversary: today.adding(days: 120))
            let first = try await requests.runDue()
            #expect(first.asked == 1, "only the supplier with addresses whose date is within 60 days")
            let mail = try #require(try await smtp.waitFor(1).first)
            #expect(mail.envelopeTo == ["q@valleverde.example"] && !mail.subject.hasPrefix("Reminder"))
            let listed = try await requests.list(supplierId: near)
            #expect(listed.map(\.origin) == [.window] && listed.first?.emailsSent == 1)

            _ = try await requests.withdraw(id: listed[0].id, by: "admin@example.com")
            #expect(try await requests.runDue().asked == 0, "this governing date was asked about already")
        }
    }

    @Test(arguments: Backend.allCases)
    func aFailedEmailIsTriedAgainLaterWithANewLink(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let clock = TestNow()
            let unreachable = Self.requests(database, clock, smtpPort: 9)
            let today = CalendarDate(utc: clock.date())
            let id = try await Self.supplier(database, anniversary: today.adding(days: 10))
            let failed = try await unreachable.runDue()
            #expect(failed.asked == 1 && failed.failed == 1)
            let store = CertificateRequestStore(database: database, now: { clock.date() })
            let request = try #require(try await store.list(supplierId: id).first)
            #expect(request.state == .open && request.emailsSent == 0 && request.nextEmailAt != nil, "kept, to be tried again")
            let links = try await database.withConnection { try await $0.select().column("token_hash").from("certificate_request_links").all() }
            #expect(links.isEmpty, "no link was delivered, so none is kept")
            try await SMTPSink.with { smtp in
                let working = Self.requests(database, clock, smtpPort: smtp.port)
                #expect(try await working.runDue().failed == 0, "not before the retry is due")
                clock.advance(seconds: RequestSettings.retryAfterFailure + 1)
                _ = try await working.runDue()
                #expect(try await smtp.waitFor(1).count == 1)
                #expect(try await store.list(supplierId: id).first?.emailsSent == 1)
            }
        }
    }
}
