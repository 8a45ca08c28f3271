import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import SQLKit
import Testing

/// Issue 24: electronic import-certificate numbers (`NNN-NNNNNNNNNN-NNNNNN`) next to free text,
/// and the shipment details 7 USC 6502(13) lists, through the API and the purchase gate.
@Suite struct ImportCertificateNumberGateTests {
    static func json(_ number: String, exporter: String, details: String = "") -> String {
        """
        {"number": "\(number)", "exporterId": "\(exporter)", "importer": "Northern Organic Foods Inc.", "kind": "time_frame",
         "validFrom": "\(TestDates.fromToday(-10))", "validTo": "\(TestDates.fromToday(100))",
         "products": [{"product": "Avocados", "quantity": 1000, "unit": "kg"}]\(details)}
        """
    }

    @Test(arguments: Backend.allCases)
    func anElectronicNumberTypedWithSpacesIsOneCertificateForEveryCheck(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await PurchaseCheckAPITests.verifiedSupplier(server)
            let details = #", "origin": "Uruapan, Michoacán, MX", "destination": "Laredo, TX", "htsCode": "080440", "totalWeightKg": 20500.5, "lotNumbers": ["L-7", "L-8", "L-7"]"#
            let created = try await server.send(.post, "/v1/import-certificates", key: server.admin,
                                                json: Self.json("123 4567890123 456789", exporter: id, details: details))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["number"] as? String == "123-4567890123-456789")
            #expect(created.json["numberFormat"] as? String == "electronic")
            #expect(created.json["htsCode"] as? String == "0804.40" && created.json["totalWeightKg"] as? Double == 20500.5)
            #expect(created.json["lotNumbers"] as? [String] == ["L-7", "L-8"])
            // The same number with other dashes is the same certificate.
            let again = try await server.send(.post, "/v1/import-certificates", key: server.admin, json: Self.json("123–4567890123–456789", exporter: id))
            #expect(again.status == .conflict)
            let badCode = try await server.send(.post, "/v1/import-certificates", key: server.admin,
                                                json: Self.json("IC-FREE-1", exporter: id, details: #", "htsCode": "0804.4""#))
            #expect(badCode.status == .unprocessableContent && badCode.text.contains("htsCode"))

            let reply = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: """
                {"nopOperationId": "8150001234", "product": "Hass avocados", "importCertificate": "1234567890123456789", "quantity": 600, "unit": "kg"}
                """)
            #expect(reply.json["decision"] as? String == "allow", "\(reply.text)")
            let shown = try await server.send(.get, "/v1/import-certificates/123%204567890123%20456789", key: server.purchaser)
            #expect((shown.json["products"] as? [[String: Any]])?.first?["used"] as? Double == 600, "\(shown.text)")
        }
    }

    /// A certificate recorded before numbers were put in one form keeps its number as typed,
    /// and a check naming it in the electronic form finds it and counts against it.
    @Test(arguments: Backend.allCases)
    func aRecordMadeBeforeTheElectronicFormStillCounts(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await PurchaseCheckAPITests.verifiedSupplier(server)
            try await server.database.withConnection { db in
                try await db.insert(into: "import_certificates")
                    .columns("id", "number", "exporter_id", "importer", "kind", "valid_from", "valid_to", "lines", "recorded_at", "recorded_by")
                    .values(RecordID.make(), "987 6543210987 654321", id, "Northern Organic Foods Inc.", "time_frame",
                            TestDates.fromToday(-10).description, TestDates.fromToday(100).description,
                            #"[{"product":"Avocados","quantity":1000,"unit":"kg"}]"#, Timestamp.format(Date(timeIntervalSinceNow: -60)), "old")
                    .run()
            }
            let reply = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: """
                {"nopOperationId": "8150001234", "product": "Hass avocados", "importCertificate": "987-6543210987-654321", "quantity": 700, "unit": "kg"}
                """)
            #expect(reply.json["decision"] as? String == "allow", "\(reply.text)")
            let shown = try await server.send(.get, "/v1/import-certificates/987-6543210987-654321", key: server.purchaser)
            #expect(shown.json["number"] as? String == "987 6543210987 654321", "kept as recorded")
            #expect(shown.json["numberFormat"] as? String == "electronic")
            #expect((shown.json["products"] as? [[String: Any]])?.first?["used"] as? Double == 700, "\(shown.text)")
        }
    }
}
