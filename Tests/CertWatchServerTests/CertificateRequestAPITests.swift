import CertWatchApp
import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// `/v1/suppliers/{id}/certificate-requests` as an admin's script uses it, with the email
/// arriving at a real SMTP server (aiosmtpd).
@Suite struct CertificateRequestAPITests {
    /// Valle Verde with its own address for requests; an importer (Mexico), so it owes both kinds.
    static func supplier(_ server: TestServer, supplierEmails: String = "[\"calidad@valleverde.example\"]") async throws -> String {
        let body = """
            {"name": "Valle Verde Produce", "country": "Mexico", "contactEmails": ["buyer@handler.example"], "supplierEmails": \(supplierEmails)}
            """
        let reply = try await server.send(.post, "/v1/suppliers", key: server.admin, json: body)
        #expect(reply.json["supplierEmails"] as? [String] == ((try? JSONSerialization.jsonObject(with: Data(supplierEmails.utf8))) as? [String]))
        return try #require(reply.json["id"] as? String, "\(reply.text)")
    }

    static func configured(_ smtpPort: Int) -> (inout Settings) -> Void {
        { settings in
            settings.requests.handlerName = "Example Organic Foods"
            settings.httpPublicURL = "https://certwatch.example.com/"
            settings.smtpURL = "smtp://127.0.0.1:\(smtpPort)"
            settings.smtpFrom = "certwatch@example.org"
        }
    }

    @Test(arguments: Backend.allCases)
    func aRequestIsEmailedToTheSuppliersAddressesWithItsLink(_ backend: Backend) async throws {
        try await SMTPSink.with { smtp in
            try await TestServer.run(backend, settings: Self.configured(smtp.port)) { server in
                let id = try await Self.supplier(server)
                let reply = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin, json: "{}")
                #expect(reply.status == .created, "\(reply.text)")
                let requests = reply.json["requests"] as? [[String: Any]] ?? []
                #expect(requests.compactMap { $0["kind"] as? String } == ["organic_certificate", "import_certificate"], "an importer owes both")
                #expect(requests.allSatisfy { $0["state"] as? String == "open" && $0["emailsSent"] as? Int == 1 && $0["documentId"] is NSNull })
                #expect(reply.json["emailedTo"] as? [String] == ["calidad@valleverde.example"])
                #expect(reply.json["link"] is NSNull, "the link is only in the email")

                let mail = try #require(try await smtp.waitFor(1).first)
                #expect(mail.envelopeTo == ["calidad@valleverde.example"], "the supplier's address, never the buyer contact")
                #expect(mail.subject == "Example Organic Foods asks Valle Verde Produce for its organic certificate and its NOP Import Certificate")
                let text = mail.textBody ?? ""
                let link = try #require(text.split(separator: "\n").first { $0.hasPrefix("https://certwatch.example.com/upload/") })
                #expect(link.count == "https://certwatch.example.com/upload/".count + 64, "the link stands on a line of its own")

                let again = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin,
                                                  json: "{\"kinds\": [\"organic_certificate\"]}")
                #expect(again.status == .conflict && again.json["type"] as? String == "/problems/request-open")

                let listed = try await server.send(.get, "/v1/suppliers/\(id)/certificate-requests", key: server.purchaser)
                #expect((listed.json["items"] as? [[String: Any]])?.count == 2, "purchasers may read them")
                let first = try #require(requests.first?["id"] as? String)
                let withdrawn = try await server.send(.post, "/v1/certificate-requests/\(first)/withdraw", key: server.admin)
                #expect(withdrawn.status == .ok && withdrawn.json["state"] as? String == "withdrawn")
                #expect(try await server.send(.post, "/v1/certificate-requests/\(first)/withdraw", key: server.admin).status == .conflict)
                #expect(try await server.send(.post, "/v1/certificate-requests/nope/withdraw", key: server.admin).status == .notFound)
                let history = try await ActivityLog(database: server.database).entries(subject: id).map(\.action)
                #expect(history.contains("certificate_request.emailed") && history.contains("certificate_request.withdrawn"))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func whatIsMissingIsNamed(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await Self.supplier(server, supplierEmails: "[]")
            let unconfigured = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin,
                                                     json: "{\"recipients\": [\"a@valleverde.example\"]}")
            #expect(unconfigured.status == .conflict && (unconfigured.json["detail"] as? String ?? "").contains("requests.handlerName"))
            #expect(try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.purchaser, json: "{}").status == .forbidden)
            #expect(try await server.send(.post, "/v1/suppliers/nope/certificate-requests", key: server.admin, json: "{}").status == .notFound)
        }
        try await TestServer.run(backend, settings: { $0.requests.handlerName = "Example Organic Foods" }) { server in
            let id = try await Self.supplier(server, supplierEmails: "[]")
            let nobody = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin, json: "{}")
            #expect(nobody.status == .unprocessableContent && nobody.json["type"] as? String == "/problems/no-recipients")
            let noMail = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin,
                                               json: "{\"recipients\": [\"a@valleverde.example\"]}")
            #expect(noMail.status == .conflict && (noMail.json["detail"] as? String ?? "").contains("smtp.url"))
            let bad = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin,
                                            json: "{\"recipients\": [\"not an address\"], \"showLink\": true}")
            #expect(bad.status == .unprocessableContent && bad.errorFields == ["recipients"])
            let shown = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin, json: "{\"showLink\": true}")
            #expect(shown.status == .created && (shown.json["link"] as? String ?? "").contains("/upload/"), "without email the link is shown")
            #expect(try await CertificateRequestStore(database: server.database).list(supplierId: id).count == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func anUnreachableMailServerLeavesNothingOpen(_ backend: Backend) async throws {
        try await TestServer.run(backend, settings: Self.configured(9)) { server in
            let id = try await Self.supplier(server)
            let reply = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin, json: "{}")
            #expect(reply.status == .badGateway && reply.json["type"] as? String == "/problems/email-failed")
            let states = try await CertificateRequestStore(database: server.database).list(supplierId: id).map(\.state)
            #expect(states == [.unsent, .unsent], "nothing stays open that no link can answer, and none reads as withdrawn by staff")
            let retry = try await server.send(.post, "/v1/suppliers/\(id)/certificate-requests", key: server.admin, json: "{\"showLink\": true}")
            #expect(retry.status == .created, "a new request may be opened at once")
        }
    }

    @Test(arguments: Backend.allCases)
    func aReplacementWithoutSupplierEmailsKeepsThem(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await Self.supplier(server)
            let older = try await server.send(.put, "/v1/suppliers/\(id)", key: server.admin, json: "{\"name\": \"Valle Verde Produce SA\", \"country\": \"Mexico\"}")
            #expect(older.json["supplierEmails"] as? [String] == ["calidad@valleverde.example"], "a client that predates the field erases nothing")
            let cleared = try await server.send(.put, "/v1/suppliers/\(id)", key: server.admin, json: "{\"name\": \"Valle Verde\", \"supplierEmails\": []}")
            #expect(cleared.json["supplierEmails"] as? [String] == [])
        }
    }
}
