import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// Adding and editing a supplier on the page goes through the same validation as the API and the
/// import, and editing never touches the certificate INTEGRITY gave.
@Suite struct SupplierFormTests {
    @Test(arguments: Backend.allCases)
    func aBadFieldIsShownAtItsFieldAndNothingIsWritten(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let token = try await browser.signIn(server.admin)
            let anniversary = TestDates.fromToday(200)
            let refused = try await browser.post("/admin/suppliers", [
                "csrf": token, "name": "Form Farm", "nop_operation_id": "12345", "status": "certified", "anniversary_date": anniversary,
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("id=\"e-nop_operation_id\""), "the error sits under the NOP ID field")
            #expect(refused.html.contains("value=\"Form Farm\""), "what was typed is kept")
            #expect(try await SupplierStore(database: server.database).count() == 0)

            let made = try await browser.post("/admin/suppliers", [
                "csrf": token, "name": "Form Farm", "nop_operation_id": "4920001111", "status": "certified", "scheme": "nop",
                "anniversary_date": anniversary, "products": "crops:Oats;handling:Rolled oats",
            ])
            #expect(made.status == .seeOther)
            let stored = try #require(try await SupplierStore(database: server.database).find(nopOperationId: NOPOperationID("4920001111")!))
            #expect(made.location == "/suppliers/\(stored.supplier.id)")
            #expect(stored.supplier.certificate?.anniversaryDate?.description == anniversary)
            #expect(stored.supplier.certificate?.items.count == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func editingKeepsTheCertificate(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let token = try await browser.signIn(server.admin)
            let store = SupplierStore(database: server.database)
            let certificate = Certificate(scheme: .nop, status: .suspended, statusEffectiveDate: TestDates.today.adding(days: -3),
                                          anniversaryDate: TestDates.today.adding(days: 90), scopes: [:], items: [])
            let stored = try await store.create(Supplier(id: RecordID.make(), name: "Old Name", nopOperationId: NOPOperationID("4920002222"),
                                                         supplierEmails: ["q@oldname.example"], certificate: certificate))
            let form = try await browser.get("/admin/suppliers/\(stored.supplier.id)/edit")
            #expect(form.html.contains("value=\"Old Name\""))
            let saved = try await browser.post("/admin/suppliers/\(stored.supplier.id)", [
                "csrf": token, "name": "New Name", "nop_operation_id": "4920002222", "tags": "fruit;import", "status": "certified",
            ])
            #expect(saved.status == .seeOther)
            let after = try #require(try await store.get(id: stored.supplier.id))
            #expect(after.supplier.name == "New Name" && after.supplier.tags == ["fruit", "import"])
            #expect(after.supplier.certificate == certificate, "a posted status does not overwrite INTEGRITY's")
            #expect(after.supplier.supplierEmails == ["q@oldname.example"], "a form without the field (a tab open across an upgrade) keeps it")
            #expect(try await browser.get("/admin/suppliers/\(stored.supplier.id)/edit").status == .ok)

            let cleared = try await browser.post("/admin/suppliers/\(stored.supplier.id)", [
                "csrf": token, "name": "New Name", "nop_operation_id": "4920002222", "supplier_emails": "",
            ])
            #expect(cleared.status == .seeOther)
            #expect(try await store.get(id: stored.supplier.id)?.supplier.supplierEmails == [], "the field sent empty clears it")
        }
    }
}
