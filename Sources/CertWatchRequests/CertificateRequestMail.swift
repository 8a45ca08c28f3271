import CertWatchCore
import CertWatchNotify
import Foundation

/// The email that asks a supplier for its certificate. It names who asks and for what, puts the
/// upload link on a line of its own (so a mail client makes it clickable and a person can copy
/// it) and says until when it works. It never carries anything else from the registry.
struct CertificateRequestMail {
    var handlerName: String
    var supplierName: String
    var kinds: [DocumentKind]
    var link: String
    var expiresAt: Date
    /// Reminders say so in the subject.
    var reminder = false

    func message(from: String, to recipients: [String]) -> EmailMessage {
        let asked = Self.list(kinds.map { "its \($0.words)" })
        let subject = (reminder ? "Reminder: " : "") + "\(handlerName) asks \(supplierName) for \(asked)"
        var lines = [
            "Hello,", "",
            "\(handlerName) buys organic products from \(supplierName) and must keep a current copy of \(asked) on file",
            "(USDA organic regulations, 7 CFR 205). Please send \(kinds.count == 1 ? "it" : "them") through this page:", "",
            link, "",
            "The page takes PDF, PNG or JPEG files and works until \(expiresAt.utcMinuteText), or until the documents are received.",
        ]
        if kinds.contains(.importCertificate) {
            lines += ["", "The NOP Import Certificate is the one issued for the shipment you export to \(handlerName)."]
        }
        lines += ["", "If you did not expect this email, ignore it: nothing is sent unless you upload a file."]
        let text = lines.joined(separator: "\n")
        let html = lines.map { line in
            line == link ? "<p><a href=\"\(AlertEmail.escape(line))\">\(AlertEmail.escape(line))</a></p>"
                : (line.isEmpty ? "" : "<p>\(AlertEmail.escape(line))</p>")
        }.joined(separator: "\n")
        return EmailMessage(from: from, fromName: "\(handlerName) via CertWatch", to: recipients, subject: subject, text: text, html: html)
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
    }
}
