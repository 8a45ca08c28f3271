import CertWatchCore
import CertWatchNotify
import CertWatchStore
import Foundation

/// One round of email delivery: claim due email deliveries, write one digest per recipient for
/// the expiry alerts (they fall due together at the recipient's digest time) and one message
/// per status change or failed verification, send them over one SMTP connection, and record
/// every attempt. A digest's outcome is every one of its deliveries' outcome.
public struct EmailDispatch: Sendable {
    let database: Database
    let mailer: SMTPMailer
    let schedule: RetrySchedule
    let lease: TimeInterval
    let owner: String
    /// Dates digests in their heading; recipients' own zones decide when they are sent.
    let timeZone: TimeZone
    let batchSize: Int

    /// The wall clock leases, digest dates and retry times are reckoned in.
    let clock: @Sendable () -> Date

    public init(database: Database, mailer: SMTPMailer, schedule: RetrySchedule, lease: TimeInterval, owner: String,
                timeZone: TimeZone, batchSize: Int = 20_000, clock: @escaping @Sendable () -> Date = Date.init) {
        self.clock = clock
        self.database = database
        self.mailer = mailer
        self.schedule = schedule
        self.lease = lease
        self.owner = owner
        self.timeZone = timeZone
        self.batchSize = batchSize
    }

    static let digestedTypes: Set<String> = [AlertKind.certificateExpiring.rawValue, AlertKind.certificateExpired.rawValue]

    /// Returns the verdicts of the deliveries it attempted.
    public func runOnce() async throws -> [DeliveryVerdict] {
        let outbox = DeliveryStore(database: database)
        let started = clock()
        let timing = ContinuousClock.now
        let claimed = try await outbox.claim(.email, owner: owner, now: started, lease: lease, limit: batchSize)
        guard !claimed.isEmpty else { return [] }
        let (messages, unreadable) = compose(claimed, now: started)
        let results = await mailer.send(messages.map(\.email))
        var finished = unreadable.map { delivery in
            DeliveryStore.Finished(delivery: delivery, result: AttemptResult(error: "the stored message cannot be read", permanent: true),
                                   verdict: .failed("the stored message cannot be read"), attemptedAt: started, durationMs: 0)
        }
        let durationMs = Int((ContinuousClock.now - timing) / .milliseconds(1))
        for (message, result) in zip(messages, results) {
            for delivery in message.deliveries {
                finished.append(DeliveryStore.Finished(
                    delivery: delivery, result: result, verdict: schedule.verdict(after: delivery.attempts + 1, result: result, now: clock()),
                    attemptedAt: started, durationMs: durationMs))
            }
        }
        try await outbox.finish(finished, owner: owner, at: clock())
        return finished.map(\.verdict)
    }

    /// An email and the deliveries it carries.
    struct Outgoing {
        var email: EmailMessage
        var deliveries: [Delivery]
    }

    /// The messages for `claimed`, and the deliveries whose stored event cannot be decoded.
    func compose(_ claimed: [Delivery], now: Date) -> ([Outgoing], [Delivery]) {
        var outgoing: [Outgoing] = []
        var unreadable: [Delivery] = []
        var digests: [String: [(Delivery, WebhookEvent)]] = [:]
        for delivery in claimed {
            guard let event = try? WebhookEvent(json: delivery.payload) else {
                unreadable.append(delivery)
                continue
            }
            if Self.digestedTypes.contains(delivery.eventType) {
                digests[delivery.destination, default: []].append((delivery, event))
            } else {
                outgoing.append(Outgoing(email: email(AlertEmail.immediate(event), to: delivery.destination, at: now), deliveries: [delivery]))
            }
        }
        let today = CalendarDate(now, in: timeZone)
        for (recipient, items) in digests.sorted(by: { $0.key < $1.key }) {
            outgoing.append(Outgoing(email: email(AlertEmail.digest(items.map(\.1), day: today), to: recipient, at: now),
                                     deliveries: items.map(\.0)))
        }
        return (outgoing, unreadable)
    }

    private func email(_ content: AlertEmail, to recipient: String, at now: Date) -> EmailMessage {
        EmailMessage(from: mailer.settings.from, to: [recipient], subject: content.subject, text: content.text, html: content.html, date: now)
    }
}
