import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// Recording a NOP Import Certificate on the page and reading it back, as an admin and a buyer
/// see them: the API's rules with each refusal at its field, the lines' use by purchase checks,
/// the document on file, and the checks that named it.
@Suite struct ImportCertificatePageTests {
    static let number = "123-4567890123-456789"

    /// Valle Verde, a verified exporter in Mexico certified for avocados, with an import
    /// certificate (a PDF) on file; Prairie Dairy beside it with a document of its own. Their ids.
    static func registry(_ database: Database) async throws -> (exporter: String, document: String, otherDocument: String) {
        let store = SupplierStore(database: database)
        let certificate = Certificate(status: .certified, anniversaryDate: TestDates.today.adding(days: 150),
                                      scopes: [.crops: ScopeStatus(status: .certified)],
                                      items: [CertifiedItem(scope: .crops, items: ["Avocados"], status: .certified)])
        let valle = try await store.create(Supplier(id: RecordID.make(), name: "Valle Verde Aguacates", nopOperationId: NOPOperationID("8150001234"),
                                                    country: "Mexico", certificate: certificate))
        let prairie = try await store.create(Supplier(id: RecordID.make(), name: "Prairie Dairy Farms", nopOperationId: NOPOperationID("1230004567")))
        try await VerificationStore(database: database).record(
            [.init(supplier: valle, decision: VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil), foundStatus: "Certified")],
            runId: RecordID.make(), evidence: .init(source: "test", url: nil, digest: nil, at: Date()))
        let documents = DocumentStore(database: database)
        let filed = try await documents.add(supplierId: valle.supplier.id, kind: .importCertificate, fileName: "ic-valle.pdf",
                                            bytes: Array("%PDF-1.4 import certificate".utf8), uploadedBy: "test")
        let other = try await documents.add(supplierId: prairie.supplier.id, kind: .importCertificate, fileName: "ic-prairie.pdf",
                                            bytes: Array("%PDF-1.4 another certificate".utf8), uploadedBy: "test")
        return (valle.supplier.id, filed.id, other.id)
    }

    /// A shipment certificate as the form posts it: the number typed with spaces, two product rows
    /// with an empty one between them, the 6502(13) fields.
    static func form(_ token: String, exporter: String, document: String) -> [String: String] {
        ["csrf": token, "exporter": exporter, "number": "123 4567890123 456789", "kind": "shipment", "importer": "Northern Organic Foods Inc.",
         "shipmentDate": TestDates.fromToday(-2), "portOfEntry": "Laredo, TX", "certifier": "Mayacert",
         "product0": "Avocados", "quantity0": "20000", "unit0": "kg", "product2": "Limes", "quantity2": "500", "unit2": "kg",
         "origin": "Michoacán, Mexico", "destination": "Chicago, IL", "htsCode": "080440", "totalWeightKg": "20500",
         "lotNumbers": "LOT-1; LOT-2", "documentId": document]
    }

    @Test(arguments: Backend.allCases)
    func anAdminRecordsOneAndEveryoneSeesItsLinesUsedByChecks(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let (exporter, document, _) = try await Self.registry(server.database)
            let token = try await browser.signIn(server.admin)
            let form = try await browser.get("/admin/import-certificates/new?exporter=\(exporter)")
            #expect(form.status == .ok)
            #expect(form.html.contains("Exporter: Valle Verde Aguacates") && form.html.contains("<option value=\"\(document)\""),
                    "the exporter is named and its import certificate on file offered")
            #expect(!form.html.contains("ic-prairie.pdf"), "another supplier's document is not offered")

            let made = try await browser.post("/admin/import-certificates", Self.form(token, exporter: "8150001234", document: document))
            #expect(made.status == .seeOther, "\(made.html)")
            #expect(made.location == "/import-certificates/\(Self.number)", "the electronic number in its one form")
            let recorded = try #require(try await ImportCertificateStore(database: server.database).get(number: Self.number))
            #expect(recorded.certificate.lines.map(\.product) == ["Avocados", "Limes"])
            #expect(recorded.certificate.htsCode == "0804.40" && recorded.certificate.lotNumbers == ["LOT-1", "LOT-2"])
            #expect(recorded.recordedBy == "admin")
            let activity = try await ActivityLog(database: server.database).entries(subject: exporter)
            #expect(activity.contains { $0.action == "import_certificate.recorded" && $0.detail == Self.number })

            let check = try await browser.post("/check", ["csrf": token, "supplier": "8150001234", "product": "Avocados",
                                                         "importCertificate": Self.number, "quantity": "1200", "unit": "kg"])
            let checkId = try #require(check.location?.split(separator: "/").last.map(String.init), "the check was answered")

            _ = try await browser.signIn(server.purchaser)
            let shown = try await browser.get("/import-certificates/\(Self.number)")
            #expect(shown.status == .ok)
            #expect(shown.html.contains("<th scope=\"row\">Avocados</th><td>1200</td><td>20000</td><td>kg</td>"), "1200 of 20000 kg used")
            #expect(shown.html.contains("<th scope=\"row\">Limes</th><td>0</td><td>500</td><td>kg</td>"))
            #expect(shown.html.contains("<a href=\"/documents/\(document)\">ic-valle.pdf</a>"))
            #expect(shown.html.contains("href=\"/checks/\(checkId)\""), "the check that counted against it")
            for fact in ["Electronic (Organic Integrity Database)", "Laredo, TX", "Michoacán, Mexico", "0804.40", "20500 kg", "LOT-1, LOT-2"] {
                #expect(shown.html.contains(fact), "the show page has \(fact)")
            }
            let list = try await browser.get("/import-certificates")
            #expect(list.html.contains("<a href=\"/import-certificates/\(Self.number)\">\(Self.number)</a>"))
            #expect(list.html.contains("Avocados: 1200 of 20000 kg") && list.html.contains("Limes: 0 of 500 kg"))
            #expect(!list.html.contains("/admin/import-certificates/new"), "a buyer is not offered the form")
            #expect(try await browser.get("/import-certificates?exporter=\(exporter)").html.contains("Avocados: 1200 of 20000 kg"))
            #expect(try await browser.get("/suppliers/\(exporter)").html.contains("href=\"/import-certificates?exporter=\(exporter)\""),
                    "an importer's page links to its import certificates")
            #expect(try await browser.get("/import-certificates/IC-NONE").status == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func badFieldsAreShownAtTheirFieldsAndNothingIsRecorded(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let (exporter, _, otherDocument) = try await Self.registry(server.database)
            let token = try await browser.signIn(server.admin)
            var fields = Self.form(token, exporter: "nobody", document: otherDocument)
            fields["number"] = ""
            fields["htsCode"] = "12"
            fields["quantity2"] = "lots"
            fields["totalWeightKg"] = "heavy"
            let refused = try await browser.post("/admin/import-certificates", fields)
            #expect(refused.status == .unprocessableContent)
            for field in ["exporter", "number", "htsCode", "quantity2", "totalWeightKg", "documentId"] {
                #expect(refused.html.contains("<p id=\"e-\(field)\" class=\"error\">"), "an error at \(field)")
            }
            #expect(refused.html.contains("No supplier in the registry has this CertWatch ID or NOP ID."))
            #expect(!refused.html.contains("id=\"e-quantity0\""), "the good row is not blamed")
            #expect(refused.html.contains("value=\"Michoacán, Mexico\""), "what was typed is kept")
            #expect(try await ImportCertificateStore(database: server.database).list().isEmpty)

            var period = Self.form(token, exporter: exporter, document: "")
            period["kind"] = "time_frame"
            period["validFrom"] = TestDates.fromToday(10)
            period["validTo"] = TestDates.fromToday(1)
            let backwards = try await browser.post("/admin/import-certificates", period)
            #expect(backwards.status == .unprocessableContent && backwards.html.contains("<p id=\"e-validTo\" class=\"error\">Is before validFrom.</p>"))

            let made = try await browser.post("/admin/import-certificates", Self.form(token, exporter: exporter, document: ""))
            #expect(made.status == .seeOther)
            let again = try await browser.post("/admin/import-certificates", Self.form(token, exporter: exporter, document: ""))
            #expect(again.status == .conflict && again.html.contains("already recorded"), "a number is recorded once")
            #expect(try await ImportCertificateStore(database: server.database).list().count == 1)
        }
    }
}
