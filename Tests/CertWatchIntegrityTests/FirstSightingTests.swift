import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// Issue 25: importing suppliers and verifying them is a first sighting for each, not a status
/// change: exactly one alert per supplier a purchase would be blocked or held for, none for the
/// certified ones, and a later change alerts once.
@Suite struct FirstSightingTests {
    @Test(arguments: Backend.allCases)
    func importThenVerifyAlertsOnlyWhatStopsAPurchaseAndLaterChangesOnce(_ backend: Backend) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(backend) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)  // all entered as "certified"
                let unlisted = NOPOperationID(String(4_920_000_000 + operations.count + 100))!
                _ = try await SupplierStore(database: database).create(Supplier(id: "typo", name: "Mistyped NOP ID", nopOperationId: unlisted))
                let first = try await VerificationJob.run(source: try await BulkVerificationTests.source(double, database: database),
                                                          database: database, logger: BulkVerificationTests.logger)
                #expect(first.firstSightings == operations.count + 1 && first.failed == 0, "\(first)")

                let alerts = AlertStore(database: database)
                let raised = try await alerts.list(.init(kind: .statusChanged, limit: 500)).items
                let blocking = operations.filter { $0["op_status"] as? String != "Certified" }
                #expect(raised.count == blocking.count + 1, "one per supplier that cannot sell organic, and the unlisted one")
                #expect(raised.allSatisfy { $0.data.firstSighting == true && $0.data.from == nil })
                let suppliers = SupplierStore(database: database)
                for operation in blocking {
                    let id = try #require(try await suppliers.find(nopOperationId: NOPOperationID(operation["op_nopOpID"] as! String)!)?.supplier.id)
                    #expect(raised.filter { $0.supplierId == id }.map { $0.data.to } == [operation["op_status"] as? String])
                }
                let typo = try #require(raised.first { $0.supplierId == "typo" })
                #expect(typo.data.to == nil && typo.data.message.contains("does not list NOP ID \(unlisted)"))

                let certified = try #require(operations.first { $0["op_status"] as? String == "Certified" })
                let certifiedId = try #require(try await suppliers.find(nopOperationId: NOPOperationID(certified["op_nopOpID"] as! String)!)?.supplier.id)
                let history = try await VerificationStore(database: database).statusHistory(supplierId: certifiedId)
                #expect(history.contains { $0.field == "status" && $0.firstSighting && $0.to == "Certified" }, "recorded as a first sighting")
                let today = CalendarDate(utc: Date())
                let figures = try await DashboardFigures(database: database).snapshot(.init(
                    today: today, staleBefore: Date().addingTimeInterval(-7 * 86_400), changesSince: Date().addingTimeInterval(-30 * 86_400),
                    lapsingThrough: today.adding(days: 60), limit: 100, policy: PurchasePolicy()), at: Date())
                #expect(figures.statusChanges.isEmpty, "the dashboard's changes are changes, not first sightings")

                try await double.update(certified["op_nopOpID"] as! String, ["op_status": "Revoked"])
                let second = try await VerificationJob.run(source: try await BulkVerificationTests.source(double, database: database),
                                                           database: database, logger: BulkVerificationTests.logger)
                #expect(second.firstSightings == 0, "\"not listed\" was an answer too: nobody is seen for the first time again")
                let now = try await alerts.list(.init(kind: .statusChanged, limit: 500)).items
                #expect(now.count == raised.count + 1, "the change alerts once; the unlisted one is not alerted again")
                let change = try #require(now.first { $0.supplierId == certifiedId })
                #expect(change.data.from == "Certified" && change.data.to == "Revoked" && change.data.firstSighting == nil)
            }
        }
    }
}
