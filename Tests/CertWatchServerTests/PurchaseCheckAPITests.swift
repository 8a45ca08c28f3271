import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

// Fixed dates here are invalid on purpose (2026-02-30) or past effective dates only echoed back; asked dates come from today.
@Suite struct PurchaseCheckAPITests {
    /// Creates the Valle Verde supplier through the API and records a verification of it just now.
    static func verifiedSupplier(_ server: TestServer) async throws -> String {
        let created = try await server.send(.post, "/v1/suppliers", key: server.admin, json: validSupplierJSON)
        let id = try #require(created.json["id"] as? String)
        let stored = try #require(try await SupplierStore(database: server.database).get(id: id))
        try await VerificationStore(database: server.database).record(
            [.init(supplier: stored, decision: VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil),
                   foundStatus: "Certified")],
            runId: RecordID.make(), evidence: .init(source: "bulk", url: nil, digest: nil, at: Date()))
        return id
    }

    @Test(arguments: Backend.allCases)
    func purchasersCheckAndReadBackTheAnswer(_ backend: Backend) async throws {
        // Valle Verde ships from Mexico; the import-certificate rules have their own tests.
        try await TestServer.run(backend, settings: { $0.importCertificateRule = .off }) { server in
            let id = try await Self.verifiedSupplier(server)
            let allowed = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: """
                {"nopOperationId": "8150001234", "product": "Organic Hass avocados"}
                """)
            #expect(allowed.status == .created)
            #expect(allowed.json["decision"] as? String == "allow")
            #expect(allowed.json["matchedItem"] as? String == "Avocados (Hass)")
            #expect(allowed.json["status"] as? String == "certified")
            #expect(allowed.json["askedBy"] as? String == "buyer")
            #expect(allowed.json["verifiedAt"] is String)
            #expect((allowed.json["supplier"] as? [String: Any])?["id"] as? String == id)
            let checkId = try #require(allowed.json["checkId"] as? String)
            #expect(allowed.headers[.location] == "/v1/purchase-checks/\(checkId)")

            let blocked = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: """
                {"supplierId": "\(id)", "product": "avocado oil", "date": "\(TestDates.fromToday(0))"}
                """)
            #expect(blocked.json["decision"] as? String == "block")
            let reasons = blocked.json["reasons"] as? [[String: Any]] ?? []
            #expect(reasons.map { $0["code"] as? String } == ["product_not_on_certificate"])
            #expect((reasons.first?["message"] as? String)?.hasSuffix("Did you mean Avocados?") == true)

            let shown = try await server.send(.get, "/v1/purchase-checks/\(checkId)", key: server.purchaser)
            #expect(shown.json["decision"] as? String == "allow" && shown.json["seq"] as? Int == 1)
            let listed = try await server.send(.get, "/v1/purchase-checks?decision=block&supplierId=\(id)", key: server.purchaser)
            #expect((listed.json["items"] as? [[String: Any]])?.map { $0["product"] as? String } == ["avocado oil"])
            #expect(try await server.send(.get, "/v1/purchase-checks/nope", key: server.purchaser).status == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func badQuestionsNameTheFieldAndAreNotLogged(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let cases: [(String, [String])] = [
                (#"{"product": "avocados"}"#, ["supplierId"]),
                (#"{"supplierId": "a", "nopOperationId": "8150001234", "product": " "}"#, ["product", "supplierId"]),
                (#"{"nopOperationId": "12", "product": "avocados"}"#, ["nopOperationId"]),
                (#"{"supplierId": "a", "product": "avocados", "date": "2026-02-30"}"#, ["date"]),
                (#"{"supplierId": "a"}"#, ["product"]),
                (#"{"supplierId": "a", "product": "oats\u0000"}"#, ["product"]),
                (#"{"supplierId": "a\u0000", "product": "oats"}"#, ["supplierId"]),
            ]
            for (body, fields) in cases {
                let reply = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: body)
                #expect(reply.status == .unprocessableContent, "\(body)")
                #expect(reply.errorFields == fields, "\(body)")
            }
            #expect(try await server.send(.get, "/v1/purchase-checks?decision=maybe&since=yesterday", key: server.purchaser)
                .errorFields == ["decision", "since"])
            let unknown = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: #"{"supplierId": "nobody", "product": "x"}"#)
            #expect(unknown.status == .created && unknown.json["decision"] as? String == "block")
            let listed = try await server.send(.get, "/v1/purchase-checks", key: server.purchaser)
            #expect((listed.json["items"] as? [[String: Any]])?.count == 1, "only the answered question is in the log")
        }
    }

    /// The end-to-end promise: INTEGRITY suspends, the next verification sees it, the next check blocks.
    @Test func aSuspensionInINTEGRITYBlocksTheNextCheck() async throws {
        try await IntegrityDouble.with { double in
            try await TestServer.run(.sqlite, integrityBaseURL: double.baseURL) { server in
                let (id, nop) = try await VerificationAPITests.register(server, double)
                try await server.verifyNow(id)
                let before = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: """
                    {"nopOperationId": "\(nop)", "product": "anything"}
                    """)
                #expect(before.json["status"] as? String == "certified", "the gate now keeps this supplier")
                try await double.update(nop, ["op_status": "Suspended", "op_statusEffectiveDate": "2026-10-02T00:00:00"])
                try await server.verifyNow(id)
                let check = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: """
                    {"nopOperationId": "\(nop)", "product": "anything"}
                    """)
                #expect(check.json["decision"] as? String == "block")
                let messages = (check.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
                #expect(messages.first == "Certification Suspended since 2026-10-02.")
                #expect((check.json["headline"] as? String)?.hasPrefix("BLOCK  Registered name — Certification Suspended since 2026-10-02") == true)
            }
        }
    }
}
