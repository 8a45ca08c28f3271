import CertWatchCore
import CertWatchNotify
import CertWatchTestSupport
import Foundation
import Testing

/// The libcurl mailer against a real SMTP server (aiosmtpd), read back with Python's `email`.
@Suite struct SMTPMailerTests {
    func message(to: [String] = ["buyer@example.com"], subject: String = "Zertifikat läuft ab — Müller Bio GmbH") -> EmailMessage {
        EmailMessage(from: "alerts@certwatch.example", to: to, subject: subject,
                     text: "Müller Bio GmbH: the NOP anniversary date is in 45 days.\n", html: "<p>Müller Bio GmbH &amp; Söhne</p>")
    }

    @Test func aMessageArrivesAsAMailClientReadsIt() async throws {
        try await SMTPSink.with { sink in
            let mailer = SMTPMailer(settings: SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", from: "alerts@certwatch.example", startTLS: .off))
            let results = await mailer.send([message(to: ["buyer@example.com", "ops@example.com"])])
            #expect(results.map(\.succeeded) == [true], "\(results)")
            let received = try await sink.waitFor(1)
            #expect(received[0].subject == "Zertifikat läuft ab — Müller Bio GmbH")
            #expect(received[0].envelopeTo == ["buyer@example.com", "ops@example.com"])
            #expect(received[0].from == "CertWatch <alerts@certwatch.example>")
            #expect(received[0].textBody == "Müller Bio GmbH: the NOP anniversary date is in 45 days.\n")
            #expect(received[0].htmlBody == "<p>Müller Bio GmbH &amp; Söhne</p>")
            #expect(received[0].contentType == "multipart/alternative" && received[0].defects.isEmpty)
        }
    }

    @Test func logsInWhenAsked() async throws {
        try await SMTPSink.with(auth: "certwatch:s3cret") { sink in
            let url = "smtp://127.0.0.1:\(sink.port)"
            let wrong = SMTPMailer(settings: SMTPSettings(url: url, from: "alerts@certwatch.example", username: "certwatch", password: "nope", startTLS: .off))
            // A wrong password is the operator's to fix: retried, not given up.
            let refused = await wrong.send([message()])
            #expect(refused.first?.succeeded == false && refused.first?.permanent == false, "\(refused)")
            #expect(refused.first?.error?.contains("nope") == false, "the password never appears in an error")
            let right = SMTPMailer(settings: SMTPSettings(url: url, from: "alerts@certwatch.example", username: "certwatch", password: "s3cret", startTLS: .off))
            let accepted = await right.send([message()])
            #expect(accepted.map(\.succeeded) == [true])
            let received = try await sink.waitFor(1)
            #expect(received.count == 1)
        }
    }

    /// Issue 21: the password never goes out on a plain connection because STARTTLS was only
    /// "opportunistic": with a login, a server that offers no STARTTLS gets no AUTH at all.
    @Test func aLoginIsNeverSentWithoutTLSUnlessTheOperatorSaysSo() async throws {
        try await SMTPSink.with(auth: "certwatch:s3cret") { sink in
            let url = "smtp://127.0.0.1:\(sink.port)"
            let mailer = SMTPMailer(settings: SMTPSettings(url: url, from: "alerts@certwatch.example", username: "certwatch", password: "s3cret"))
            let refused = await mailer.send([message()])
            #expect(refused.first?.succeeded == false)
            #expect(refused.first?.error?.contains("does not send the SMTP password without TLS") == true, "\(refused)")
            let received = try await sink.messages()
            #expect(received.isEmpty)
        }
    }

    @Test func startTLSWithAPrivateCA() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cw-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let openssl = try await ChildProcess.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "1", "-keyout", key, "-out", cert,
        ])
        try #require(openssl.status == 0, "openssl could not make the test certificate: \(openssl.stderr)")
        try await SMTPSink.with(tls: (cert, key), requireStartTLS: true) { sink in
            let url = "smtp://127.0.0.1:\(sink.port)"
            let untrusted = SMTPMailer(settings: SMTPSettings(url: url, from: "alerts@certwatch.example", startTLS: .required))
            let unknownCA = await untrusted.send([message()])
            #expect(unknownCA.first?.succeeded == false, "an unknown CA is refused")
            let plain = SMTPMailer(settings: SMTPSettings(url: url, from: "alerts@certwatch.example", startTLS: .off))
            let withoutTLS = await plain.send([message()])
            #expect(withoutTLS.first?.succeeded == false, "the server requires STARTTLS")
            let trusted = SMTPMailer(settings: SMTPSettings(url: url, from: "alerts@certwatch.example", startTLS: .required, caFile: cert))
            let accepted = await trusted.send([message()])
            #expect(accepted.map(\.succeeded) == [true])
            let received = try await sink.waitFor(1)
            #expect(received.first?.subject == "Zertifikat läuft ab — Müller Bio GmbH")
        }
    }

    @Test func anUnreachableServerIsATemporaryFailureWithAClearMessage() async throws {
        let mailer = SMTPMailer(settings: SMTPSettings(url: "smtp://127.0.0.1:9", from: "alerts@certwatch.example", startTLS: .off))
        let results = await mailer.send([message(), message(), message()])
        let result = try #require(results.first)
        #expect(!result.succeeded && !result.permanent)
        #expect(result.error?.hasPrefix("SMTP delivery to smtp://127.0.0.1:9 failed: ") == true, "\(result.error ?? "")")
        #expect(results == [result, result, result], "the whole batch fails the same way")
    }

    @Test func aBatchGoesOverOneConnection() async throws {
        try await SMTPSink.with { sink in
            let mailer = SMTPMailer(settings: SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", from: "alerts@certwatch.example", startTLS: .off))
            let results = await mailer.send((1...50).map { message(to: ["buyer\($0)@example.com"], subject: "Message \($0)") })
            #expect(results.allSatisfy { $0.succeeded })
            let received = try await sink.waitFor(50)
            #expect(Set(received.map(\.subject)) == Set((1...50).map { "Message \($0)" }))
            #expect(Set(received.map(\.clientPort)).count == 1)
        }
    }
}
