import CertWatchCore
import CertWatchNotify
import Foundation

/// The emails that carry an account's one-time links, sent with the SMTP mailer the alerts use.
/// The link is on a line of its own, so a mail client makes it clickable and a person can copy it.
public struct AccountMail: Sendable {
    let mailer: SMTPMailer?

    public init(mailer: SMTPMailer?) {
        self.mailer = mailer
    }

    /// Whether email is configured (`smtp.url`); without it, links are shown to the admin instead.
    public var configured: Bool { mailer != nil }

    func invitation(to email: String, name: String, link: String, expiresAt: Date, invitedBy: String) -> EmailMessage? {
        message(to: email, subject: "You are invited to CertWatch", lines: [
            "Hello \(name),", "",
            "\(invitedBy) invited you to CertWatch, where your company checks its organic suppliers",
            "against the USDA Organic INTEGRITY Database.", "",
            "Choose your password here (the link works once, until \(expiresAt.utcMinuteText)):", "",
            link, "",
            "If you did not expect this invitation, ignore this email.",
        ])
    }

    func reset(to email: String, link: String, expiresAt: Date) -> EmailMessage? {
        message(to: email, subject: "Reset your CertWatch password", lines: [
            "Someone asked to reset the password of your CertWatch account.", "",
            "Choose a new password here (the link works once, until \(expiresAt.utcMinuteText)):", "",
            link, "",
            "If it was not you, ignore this email: your password stays as it is.",
        ])
    }

    /// Sends `message`; the failure in words, or nil when the server took it.
    func send(_ message: EmailMessage) async -> String? {
        guard let mailer else { return "email is not configured" }
        let result = await mailer.send([message]).first ?? AttemptResult(error: "no answer")
        return result.succeeded ? nil : (result.error ?? "the mail server answered \(result.status ?? 0)")
    }

    private func message(to email: String, subject: String, lines: [String]) -> EmailMessage? {
        guard let mailer else { return nil }
        let text = lines.joined(separator: "\n")
        let html = lines.map { line in
            line.hasPrefix("http") ? "<p><a href=\"\(AlertEmail.escape(line))\">\(AlertEmail.escape(line))</a></p>" : (line.isEmpty ? "" : "<p>\(AlertEmail.escape(line))</p>")
        }.joined(separator: "\n")
        return EmailMessage(from: mailer.settings.from, to: [email], subject: subject, text: text, html: html)
    }
}
