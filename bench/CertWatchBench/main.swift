import CertWatchCore
import CertWatchNotify
import Foundation

/// Micro-benchmarks that have no CLI verb of their own (bench/alerts.sh runs them):
///   certwatch-bench digest ALERTS          compose one digest email of ALERTS expiry alerts
///   certwatch-bench smtp URL MESSAGES      send MESSAGES alert emails over one SMTP connection
/// Each prints one JSON line with the count and the seconds it took.
@main
struct Bench {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        switch (arguments.first, arguments.count) {
        case ("digest", 2):
            let count = Int(arguments.last!)!
            let events = expiryEvents(count)
            let started = ContinuousClock.now
            let content = AlertEmail.digest(events, day: CalendarDate(utc: Date()))
            let rendered = EmailMessage(from: "alerts@certwatch.example", to: ["buyer@example.com"], subject: content.subject,
                                        text: content.text, html: content.html).rendered()
            report(["alerts": count, "bytes": rendered.utf8.count], since: started)
        case ("smtp", 3):
            let count = Int(arguments.last!)!
            let mailer = SMTPMailer(settings: SMTPSettings(url: String(arguments.dropFirst().first!), from: "alerts@certwatch.example", startTLS: .off))
            let messages = expiryEvents(count).enumerated().map { index, event in
                let content = AlertEmail.immediate(event)
                return EmailMessage(from: "alerts@certwatch.example", to: ["buyer\(index % 50)@example.com"], subject: content.subject,
                                    text: content.text, html: content.html)
            }
            let started = ContinuousClock.now
            let results = await mailer.send(messages)
            report(["emails": count, "delivered": results.filter(\.succeeded).count], since: started)
        default:
            FileHandle.standardError.write(Data("usage: certwatch-bench digest ALERTS | smtp URL MESSAGES\n".utf8))
            exit(64)
        }
    }

    static func expiryEvents(_ count: Int) -> [WebhookEvent] {
        let today = CalendarDate(utc: Date())
        return (0..<count).map { index in
            let certificate = Certificate(scheme: .nop, status: .certified, anniversaryDate: today.adding(days: 1 + index % 60))
            let planned = AlertPlanner(thresholdDays: [60, 30, 7, 1]).plan(supplierId: "s\(index)", certificate: certificate, today: today)!
            let data = AlertData.expiry(planned, supplier: .init(id: "s\(index)", name: "Supplier \(index) Organics",
                                                                nopOperationId: NOPOperationID("\(1_000_000_000 + index)")))
            return WebhookEvent(type: AlertKind.certificateExpiring.rawValue, timestamp: Date(), data: data)
        }
    }

    static func report(_ fields: [String: Int], since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var line = fields.map { "\"\($0.key)\": \($0.value)" }.sorted()
        line.append("\"seconds\": \(String(format: "%.3f", seconds))")
        print("{" + line.joined(separator: ", ") + "}")
    }
}
