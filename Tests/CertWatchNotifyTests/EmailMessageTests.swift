import CertWatchNotify
import Foundation
import Testing

// The fixed date here is text in a subject line, never compared with today.
/// The MIME form of alert emails, without a server.
@Suite struct EmailMessageTests {
    let message = EmailMessage(from: "alerts@certwatch.example", to: ["buyer@example.com", "ops@example.com"],
                               subject: "Zertifikat läuft ab — Müller Bio GmbH, Bäckerei Südhang und Öko-Hof Großmann eG",
                               text: "Hallo\nÄpfel", html: "<p>Äpfel</p>", date: Date(timeIntervalSince1970: 1_795_000_000),
                               messageID: "abc@certwatch.example")

    @Test func linesEndInCRLFAndStayShort() {
        let rendered = message.rendered()
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        let long = rendered.components(separatedBy: "\r\n").filter { $0.utf8.count > 78 }
        #expect(long.isEmpty)
        #expect(rendered.utf8.allSatisfy { $0 < 0x80 }, "7-bit clean: non-ASCII is encoded")
    }

    @Test func headersAndBothParts() {
        let rendered = message.rendered()
        #expect(rendered.hasPrefix("Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n"))
        #expect(rendered.contains("Message-ID: <abc@certwatch.example>"))
        #expect(rendered.contains("To: buyer@example.com,\r\n ops@example.com\r\n"))
        #expect(rendered.contains("Subject: =?UTF-8?B?"))
        #expect(rendered.contains("Content-Type: text/plain; charset=utf-8") && rendered.contains("Content-Type: text/html; charset=utf-8"))
        #expect(rendered.contains("multipart/alternative"))
    }

    @Test func anASCIISubjectStaysReadable() {
        var plain = message
        plain.subject = "CertWatch digest 2026-11-23: 3 certificates need attention"
        #expect(plain.rendered().contains("Subject: CertWatch digest 2026-11-23: 3 certificates need attention\r\n"))
    }

    @Test func messageIDsAreUniqueOnTheSendersDomain() {
        let a = EmailMessage.makeMessageID(from: "alerts@certwatch.example")
        #expect(a.hasSuffix("@certwatch.example") && a != EmailMessage.makeMessageID(from: "alerts@certwatch.example"))
    }

    @Test func aLongSenderNameAndALongBodyStayWithinTheLineLimit() {
        var long = message
        long.fromName = "Zertifikatsüberwachung der Müller Bio GmbH, Qualitätssicherung Süd"
        long.text = String(repeating: "Müller Bio GmbH: the NOP anniversary date is in 45 days.\n", count: 5_000)
        let rendered = long.rendered()
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(rendered.contains("\r\n <alerts@certwatch.example>\r\n"))
    }
}
