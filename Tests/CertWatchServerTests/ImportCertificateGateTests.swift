import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// NOP Import Certificates through the API and the purchase gate, on both databases: recorded
/// once, named by each check of an imported lot, and a time-frame total that concurrent checks
/// cannot overrun.
@Suite struct ImportCertificateGateTests {
    static func certificateJSON(_ number: String, exporter: String, total: Int = 1_000) -> String {
        """
        {"number": "\(number)", "exporterId": "\(exporter)", "importer": "Northern Organic Foods Inc.", "kind": "time_frame",
         "validFrom": "\(TestDates.fromToday(-10))", "validTo": "\(TestDates.fromToday(100))", "portOfEntry": "Laredo, TX",
         "certifier": "CCOF", "products": [{"product": "Avocados", "quantity": \(total), "unit": "kg"}]}
        """
    }

    func check(_ server: TestServer, _ extra: String, product: String = "Hass avocados", supplier: String = "8150001234") async throws -> [String] {
        let reply = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser,
                                          json: #"{"nopOperationId": "\#(supplier)", "product": "\#(product)"\#(extra)}"#)
        let reasons = (reply.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        return [reply.json["decision"] as? String ?? "\(reply.status)"] + reasons
    }

    @Test(arguments: Backend.allCases)
    func aLotNeedsItsImportCertificateAndItsTotalHolds(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await PurchaseCheckAPITests.verifiedSupplier(server)
            let created = try await server.send(.post, "/v1/import-certificates", key: server.admin, json: Self.certificateJSON("IC-MX-1", exporter: id))
            #expect(created.status == .created, "\(created.text)")
            let recorded = try await ActivityLog(database: server.database).entries(subject: id).filter { $0.action == "import_certificate.recorded" }
            #expect(recorded.map(\.detail) == ["IC-MX-1"] && recorded.first?.actor == "key admin", "the activity record names who recorded it")
            let again = try await server.send(.post, "/v1/import-certificates", key: server.admin, json: Self.certificateJSON("IC-MX-1", exporter: id))
            #expect(again.status == .conflict)
            #expect(try await server.send(.post, "/v1/import-certificates", key: server.purchaser, json: Self.certificateJSON("IC-MX-2", exporter: id)).status
                        == .forbidden)
            let bad = try await server.send(.post, "/v1/import-certificates", key: server.admin, json: #"{"number": "IC-X", "kind": "weekly"}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("exporterId") && bad.text.contains("kind"), "\(bad.text)")

            let missing = try await check(server, "")
            #expect(missing == ["block", "import_certificate_missing"], "Valle Verde ships from Mexico")
            let first = try await check(server, #", "importCertificate": "IC-MX-1", "quantity": 600, "unit": "kg""#)
            #expect(first == ["allow"])
            let over = try await check(server, #", "importCertificate": "IC-MX-1", "quantity": 600, "unit": "kg""#)
            #expect(over == ["block", "import_certificate_quantity_exceeded"])
            let rest = try await check(server, #", "importCertificate": "IC-MX-1", "quantity": 400, "unit": "KG""#)
            #expect(rest == ["allow"], "the blocked check counted nothing; 600 + 400 is the total")
            let shown = try await server.send(.get, "/v1/import-certificates/IC-MX-1", key: server.purchaser)
            #expect((shown.json["products"] as? [[String: Any]])?.first?["used"] as? Double == 1_000, "\(shown.text)")

            let unknown = try await check(server, #", "importCertificate": "IC-NONE""#)
            #expect(unknown == ["block", "import_certificate_unknown"])
            let late = try await check(server, #", "importCertificate": "IC-MX-1", "date": "\#(TestDates.fromToday(101))""#)
            #expect(late == ["block", "import_certificate_outside_period"])
            let notListed = try await check(server, #", "importCertificate": "IC-MX-1""#, product: "Guacamole")
            #expect(notListed.first == "block" && notListed.contains("import_certificate_product_not_listed"), "\(notListed)")

            let other = try await server.send(.post, "/v1/suppliers", key: server.admin,
                                              json: #"{"name": "Other Grower", "nopOperationId": "8150009999", "country": "Mexico"}"#)
            #expect(other.status == .created)
            let otherExporter = try await check(server, #", "importCertificate": "IC-MX-1""#, supplier: "8150009999")
            #expect(otherExporter.contains("import_certificate_other_exporter"), "\(otherExporter)")

            #expect(try await AuditChain(database: server.database).verify().intact, "lots are hashed into the chain")
        }
    }

    @Test(arguments: Backend.allCases)
    func concurrentChecksCannotOverrunATimeFrameTotal(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await PurchaseCheckAPITests.verifiedSupplier(server)
            _ = try await server.send(.post, "/v1/import-certificates", key: server.admin, json: Self.certificateJSON("IC-MX-9", exporter: id))
            let decisions = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await check(server, #", "importCertificate": "IC-MX-9", "quantity": 150, "unit": "kg""#)[0] }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(decisions.filter { $0 == "allow" }.count == 6 && decisions.filter { $0 == "block" }.count == 4,
                    "6 × 150 kg fit in 1000 kg, a seventh would not: \(decisions)")
        }
    }
}
