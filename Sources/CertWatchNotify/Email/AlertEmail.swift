import CertWatchCore
import Foundation

/// The words of alert emails: one at once for a status change or a failed verification, and a
/// daily digest of expiry alerts grouped by days left. Every message ends with why the
/// recipient gets it and how to change that.
public struct AlertEmail: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String

    static let footer = """
        You get this email because your address is a buyer contact of the supplier named above or is in \
        CertWatch's alerts.recipients setting. To stop it, ask your CertWatch administrator to remove the \
        address from the supplier's contactEmails or from alerts.recipients.
        """

    /// One event, sent as soon as it is delivered.
    public static func immediate(_ event: WebhookEvent) -> AlertEmail {
        let data = event.data
        let subject = switch event.type {
        case AlertKind.statusChanged.rawValue where data.firstSighting == true:
            data.to.map { "CertWatch: \(data.supplier?.name ?? "a supplier") is \($0) in INTEGRITY (first verification)" }
                ?? "CertWatch: INTEGRITY does not list \(data.supplier?.name ?? "a supplier")"
        case AlertKind.statusChanged.rawValue: "CertWatch: \(data.supplier?.name ?? "a supplier") is now \(data.to ?? "changed") in INTEGRITY"
        case AlertKind.verificationFailed.rawValue: "CertWatch: verification against INTEGRITY failed"
        case AlertKind.fraudNotice.rawValue: "CertWatch: a NOP fraud notice names \(data.supplier?.name ?? "a supplier")"
        case AlertKind.documentMismatch.rawValue: "CertWatch: the certificate on file for \(data.supplier?.name ?? "a supplier") does not match INTEGRITY"
        case AlertKind.documentReceived.rawValue:
            "CertWatch: \(data.supplier?.name ?? "a supplier") sent its \(data.documentKind.flatMap(DocumentKind.init(rawValue:))?.words ?? "document")"
                + (data.verdict.flatMap(DocumentVerdict.init(rawValue:)).map { " (it \($0.words))" } ?? "")
        case WebhookEvent.testType: "CertWatch: test message"
        default: "CertWatch: \(data.message)"
        }
        var lines = [data.message]
        if let url = data.supplier?.integrityProfileUrl { lines.append("INTEGRITY profile: \(url)") }
        lines.append("Seen \(event.timestamp.utcMinuteText).")
        return AlertEmail(subject: subject, lines: lines, htmlBody: "<p>\(lines.map(escape).joined(separator: "<br>"))</p>")
    }

    /// The expiry alerts for one recipient on `day` (in their time zone), nearest first.
    public static func digest(_ events: [WebhookEvent], day: CalendarDate) -> AlertEmail {
        let dated = events.map { event in (event, event.data.governingDate.map { $0.daysSinceEpoch - day.daysSinceEpoch } ?? 0) }
            .sorted { ($0.0.data.governingDate ?? day, $0.0.data.supplier?.name ?? "") < ($1.0.data.governingDate ?? day, $1.0.data.supplier?.name ?? "") }
        let groups = Dictionary(grouping: dated, by: \.1).sorted { $0.key < $1.key }
        let count = events.count == 1 ? "1 certificate needs" : "\(events.count) certificates need"
        var text = ["\(count) attention (CertWatch digest for \(day))."]
        var body = "<p>\(escape(text[0]))</p>"
        for (days, items) in groups {
            let heading = days < 0 ? "Passed" : days == 0 ? "Today" : days == 1 ? "In 1 day" : "In \(days) days"
            text.append("")
            text.append(heading)
            body += "<h3>\(escape(heading))</h3><ul>"
            for (event, _) in items {
                let link = event.data.supplier?.integrityProfileUrl
                text.append("- \(event.data.message)" + (link.map { " \($0)" } ?? ""))
                body += "<li>\(escape(event.data.message))" + (link.map { " <a href=\"\(escape($0))\">INTEGRITY profile</a>" } ?? "") + "</li>"
            }
            body += "</ul>"
        }
        return AlertEmail(subject: "CertWatch digest \(day): \(count) attention", lines: text, htmlBody: body)
    }

    private init(subject: String, lines: [String], htmlBody: String) {
        self.subject = subject
        self.text = (lines + ["", "--", Self.footer]).joined(separator: "\n") + "\n"
        self.html = "<!DOCTYPE html><html><body>\(htmlBody)<hr><p style=\"color:#666;font-size:smaller\">\(Self.escape(Self.footer))</p></body></html>\n"
    }

    /// Text as HTML shows it: every email CertWatch sends writes its HTML part with this.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
