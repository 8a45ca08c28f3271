import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// A supplier deleted while a verification run works on it (issue 21, finding 11): its record is
/// kept as evidence, but no status change is written to its history and no alert is raised, from
/// the same comparison that writes the history for the suppliers that remain.
@Suite struct DeletedDuringRunTests {
    @Test(arguments: Backend.allCases)
    func aSupplierDeletedDuringARunGetsNoHistoryAndNoAlert(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let suppliers = SupplierStore(database: database)
            let kept = try await suppliers.create(Fixtures.supplier())
            let gone = try await suppliers.create(Fixtures.supplier(id: "s-gone", name: "Gone Farm", nop: "1230004567"))
            let suspended = VerificationDecision(
                outcome: .changed, certificate: Certificate(status: .suspended, statusEffectiveDate: CalendarDate(utc: Date())),
                changes: [], reason: nil)
            // The run read both suppliers; one is deleted before its results are written.
            #expect(try await suppliers.delete(id: gone.supplier.id))
            let store = VerificationStore(database: database)
            let records = try await store.record(
                [.init(supplier: kept, decision: suspended, foundStatus: "Suspended"),
                 .init(supplier: gone, decision: suspended, foundStatus: "Suspended")],
                runId: RecordID.make(), evidence: .init(source: "test", url: nil, digest: nil, at: Date()),
                alerts: { transitions in transitions.map { .statusChange(.note("\($0.record.supplierId) changed")) } })
            #expect(records.count == 2, "the deleted supplier's answer is kept as evidence")
            #expect(try await store.statusHistory(supplierId: gone.supplier.id).isEmpty)
            #expect(try await store.statusHistory(supplierId: kept.supplier.id).contains { $0.field == "status" })
            let alerts = try await AlertStore(database: database).list(.init()).items
            #expect(!alerts.isEmpty && Set(alerts.map(\.data.message)) == ["\(kept.supplier.id) changed"], "alerts only for the supplier that exists")
        }
    }
}
