import AsyncHTTPClient
import CertWatchCore
import CertWatchJobs
import CertWatchNotify
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

// The fixed date here is a status effective date only echoed in a message; expiry dates are relative to today.
/// The delivery worker with both channels against real servers: a webhook receiver that checks
/// signatures with `standardwebhooks`, and an SMTP server (aiosmtpd) read back with Python's
/// `email` package.
@Suite struct AlertDeliveryTests {
    /// A worker whose digests are due now by default: fan-out happens "three minutes ago" with the
    /// digest time two minutes ago, so the digest falls due on the real clock at once. With
    /// `digestLater` the digest time is an hour ahead.
    func worker(_ database: Database, smtpPort: Int, recipients: [String] = ["ops@example.com"], delays: [Double] = [0],
                digestLater: Bool = false) -> DeliveryWorker {
        let now = Date()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        let digest = utc.dateComponents([.hour, .minute], from: now.addingTimeInterval(digestLater ? 3_600 : -120))
        let routing = AlertFanOut.EmailRouting(recipients: recipients, digestAt: TimeOfDay(hour: digest.hour!, minute: digest.minute!)!,
                                               timeZone: .gmt)
        let schedule = RetrySchedule(delays: delays, jitter: 0)
        return DeliveryWorker(
            database: database, email: routing,
            webhooks: WebhookDispatch(database: database, sender: WebhookSender(policy: DestinationPolicy(allowPrivateNetworks: true)),
                                      schedule: schedule, lease: 30, owner: "test"),
            emails: EmailDispatch(database: database, mailer: SMTPMailer(settings: SMTPSettings(
                url: "smtp://127.0.0.1:\(smtpPort)", from: "alerts@certwatch.example", startTLS: .off)),
                                  schedule: schedule, lease: 30, owner: "test", timeZone: .gmt),
            fanOutClock: { digestLater ? Date() : now.addingTimeInterval(-180) }, logger: .init(label: "test"))
    }

    func supplier(_ id: String, _ name: String, anniversaryIn days: Int, status: CertificationStatus = .certified) -> Supplier {
        var supplier = AlertScanTests.supplier(id, name, nop: nil, status: status)
        // Days from the real today: these tests scan and deliver on the real clock.
        supplier.certificate?.anniversaryDate = CalendarDate(utc: Date()).adding(days: days)
        supplier.contactEmails = ["buyer@example.com"]
        return supplier
    }

    func endpoint(_ database: Database, _ receiver: WebhookReceiver) async throws {
        let secret = WebhookSecret.generate()
        _ = try await WebhookEndpointStore(database: database).create(url: receiver.url, description: nil, eventTypes: [], secret: secret.text,
                                                                      at: Date().addingTimeInterval(-86_400 * 30))
        try await receiver.trust([secret.text])
    }

    @Test(arguments: Backend.allCases)
    func fortyFiveDaysOutIsOneAlertOneWebhookAndOneDigestLine(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                try await SMTPSink.with { sink in
                    try await endpoint(database, receiver)
                    let registry = SupplierStore(database: database)
                    _ = try await registry.create(supplier("a", "Müller Bio GmbH", anniversaryIn: 45))
                    _ = try await registry.create(supplier("b", "Valle Verde", anniversaryIn: 20))
                    #expect(try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1]).created == 2)
                    let worker = worker(database, smtpPort: sink.port)
                    while try await worker.runOnce().foundWork {}
                    _ = try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1])
                    #expect(try await worker.runOnce().foundWork == false, "a second scan and round send nothing")

                    let hooks = try await receiver.received()
                    #expect(hooks.count == 2 && hooks.allSatisfy { $0.verified && $0.body?.type == "certificate.expiring" })
                    #expect(hooks.compactMap { $0.body?.data["thresholdDays"]?.number }.sorted() == [30, 60])
                    let mails = try await sink.waitFor(2)
                    #expect(mails.count == 2, "one digest per recipient")
                    #expect(Set(mails.flatMap(\.envelopeTo)) == ["buyer@example.com", "ops@example.com"])
                    for mail in mails {
                        #expect(mail.subject.hasPrefix("CertWatch digest ") && mail.subject.hasSuffix("2 certificates need attention"))
                        let text = try #require(mail.textBody)
                        let soon = try #require(text.range(of: "In 20 days")), later = try #require(text.range(of: "In 45 days"))
                        #expect(soon.lowerBound < later.lowerBound, "grouped by days left, nearest first")
                        #expect(text.contains("Müller Bio GmbH: the NOP anniversary date") && text.contains("US certificates do not expire"))
                        #expect(text.contains("You get this email because") && text.contains("alerts.recipients"))
                        #expect(mail.htmlBody?.contains("<h3>In 45 days</h3>") == true && mail.defects.isEmpty)
                    }
                }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func expiryEmailsWaitForTheDigestTime(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await SMTPSink.with { sink in
                _ = try await SupplierStore(database: database).create(supplier("a", "Müller Bio GmbH", anniversaryIn: 45))
                _ = try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1])
                let round = try await worker(database, smtpPort: sink.port, digestLater: true).runOnce()
                #expect(round.fannedOut == 2 && round.emails.isEmpty)
                let waiting = try await DeliveryStore(database: database).list(.init(channel: .email, status: .pending)).items
                #expect(waiting.count == 2)
                #expect(waiting.allSatisfy { $0.nextAttemptAt.timeIntervalSinceNow > 3_400 && $0.nextAttemptAt.timeIntervalSinceNow <= 3_600 })
                #expect(try await sink.messages().isEmpty)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aSuspensionGoesOutAtOnceByEmailAndWebhook(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                try await SMTPSink.with { sink in
                    try await endpoint(database, receiver)
                    let stored = try await SupplierStore(database: database).create(supplier("n", "Northfield Grain Co-op", anniversaryIn: 200))
                    let data = AlertData.statusChange(supplier: AlertData.SupplierRef(stored.supplier), from: "Certified", to: "Suspended",
                                                      effectiveDate: CalendarDate(iso: "2026-10-02"), verificationId: "v1")
                    try await AlertStore(database: database).raise([.statusChange(data)], at: Date())
                    let round = try await worker(database, smtpPort: sink.port).runOnce()
                    #expect(round.webhooks == [.delivered] && round.emails == [.delivered, .delivered])
                    #expect(try await receiver.received().first?.body?.type == "supplier.status_changed")
                    let mails = try await sink.waitFor(2)
                    #expect(mails.allSatisfy { $0.subject == "CertWatch: Northfield Grain Co-op is now Suspended in INTEGRITY" })
                    #expect(mails.first?.textBody?.contains("Certified → Suspended (effective 2026-10-02)") == true)
                }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func anUnreachableMailServerLosesNothing(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await SMTPSink.with { sink in
                let stored = try await SupplierStore(database: database).create(supplier("n", "Northfield Grain Co-op", anniversaryIn: 200))
                let data = AlertData.statusChange(supplier: AlertData.SupplierRef(stored.supplier), from: "Certified", to: "Revoked",
                                                  effectiveDate: nil, verificationId: "v2")
                try await AlertStore(database: database).raise([.statusChange(data)], at: Date())
                let down = try await worker(database, smtpPort: 9, delays: [0, 0]).runOnce()
                #expect(down.emails.count == 2 && down.emails.allSatisfy { if case .retry = $0 { true } else { false } })
                let pending = try await DeliveryStore(database: database).list(.init(channel: .email, status: .pending)).items
                #expect(pending.count == 2 && pending.allSatisfy { $0.lastError?.contains("smtp://127.0.0.1:9") == true })
                let up = try await worker(database, smtpPort: sink.port).runOnce()
                #expect(up.emails == [.delivered, .delivered])
                #expect(try await sink.waitFor(2).count == 2)
            }
        }
    }
}
