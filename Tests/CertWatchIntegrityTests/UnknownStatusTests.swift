import CertWatchCore
import CertWatchGate
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// Statuses outside INTEGRITY's known list are data (recorded as written, reviewed, alerted);
/// only a flood of them refuses an answer.
@Suite struct UnknownStatusTests {
    static let apeda = "Applied; APEDA Certified"

    enum Path: String, CaseIterable { case bulk, webService }

    @Test(arguments: Backend.allCases, Path.allCases)
    func anAPEDAStatusIsRecordedAsWrittenReviewedAndAlerted(_ backend: Backend, _ path: Path) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(backend) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await WebServiceTests.run(double, database)  // bootstraps from the bulk download
                let operation = try #require(operations.first { $0["op_status"] as? String == "Certified" })
                let target = operation["op_nopOpID"] as! String
                let product = try #require((operation["items"] as? [[String: Any]])?.first?["ci_itemList"] as? String)
                try await double.update(target, ["op_status": Self.apeda, "opPA_country": "India"])

                let run = path == .bulk
                    ? try await BulkVerificationTests.run(try await BulkVerificationTests.source(double, database: database), database)
                    : try await WebServiceTests.run(double, database)
                #expect(run.source == (path == .bulk ? "bulk" : "web-service") && run.outcome == .completed, "\(run.reason ?? "")")
                #expect(run.changed == 1 && run.failed == 0)

                let supplier = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(target)!))
                #expect(supplier.supplier.certificate?.status == .other(Self.apeda), "never left as Certified")
                let latest = try #require(try await VerificationStore(database: database).history(supplierId: supplier.supplier.id).first)
                #expect(latest.outcome == .changed && latest.foundStatus == Self.apeda)
                #expect(latest.changes.contains(CertificateChange(field: "status", from: "Certified", to: Self.apeda)))

                let check = try await PurchaseGate(database: database, policy: PurchasePolicy()).check(
                    .init(supplier: .nopOperationId(target), product: product, askedBy: "buyer"))
                #expect(check.decision == .review, "\(check.reasons)")
                #expect(check.reasons.contains { $0.code == .unknownStatus && $0.message.contains(Self.apeda) })

                let alerts = try await AlertStore(database: database).list(.init(kind: .statusChanged, supplierId: supplier.supplier.id)).items
                #expect(alerts.count == 1)
                #expect(alerts.first?.data.message.contains("INTEGRITY status Certified → \(Self.apeda)") == true, "\(alerts.first?.data.message ?? "")")
                #expect(try await AlertStore(database: database).list(.init(kind: .verificationFailed)).items.isEmpty)
            }
        }
    }

    @Test func oneUnfamiliarStatusInABulkFileIsData() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                try await double.fault("unknown_status")  // the first listed operation: "Pending Review"
                let run = try await BulkVerificationTests.run(try await BulkVerificationTests.source(double, database: database), database)
                #expect(run.outcome == .completed && run.failed == 0)
                #expect(try await BulkVerificationTests.status(operations[0]["op_nopOpID"] as! String, database) == .other("Pending Review"))
            }
        }
    }

    @Test func aFloodOfUnfamiliarStatusesRefusesBothSourcesAndChangesNothing() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await WebServiceTests.run(double, database)
                // Twelve changed operations, every other one with an unknown status: 6 in a small answer judged as 100 is 6%.
                for op in operations.prefix(12) { try await double.update(op["op_nopOpID"] as! String, ["op_clientID": "moved"]) }
                let before = try await SupplierStore(database: database).list(SupplierQuery(limit: 500)).items.map(\.supplier)
                try await double.fault("unknown_status_flood")
                let run = try await WebServiceTests.run(double, database)
                #expect(run.outcome == .rejected && run.failed == operations.count)
                let reason = run.reason ?? ""
                #expect(reason.contains("web-service: 6 of 12 operations carry statuses outside INTEGRITY's known list (\"Pending Review\" ×6)"), "\(reason)")
                #expect(reason.contains("bulk: 20 of 40 operations carry statuses outside INTEGRITY's known list"), "\(reason)")
                #expect(reason.contains("more than integrity.maxUnknownStatusShare (5%) allows"))
                #expect(try await SupplierStore(database: database).list(SupplierQuery(limit: 500)).items.map(\.supplier) == before)
                #expect(try await AlertStore(database: database).list(.init(kind: .verificationFailed)).items.map(\.data.runId) == [run.id])
            }
        }
    }

    @Test func theFloodRuleJudgesSmallAnswersAsIfTheyListedAHundred() {
        func census(_ total: Int, unknown: Int) -> StatusCensus {
            var census = StatusCensus()
            for index in 0..<total {
                census.count(["op_nopOpID": "\(index)", "op_status": index < unknown ? "Applied; APEDA Certified" : "Certified"])
            }
            return census
        }
        #expect(census(1, unknown: 1).flood(maxShare: 0.05) == nil, "one real unknown status in a quiet night's delta is data")
        #expect(census(100, unknown: 5).flood(maxShare: 0.05) == nil)
        #expect(census(100, unknown: 6).flood(maxShare: 0.05) != nil)
        #expect(census(61_000, unknown: 1_127).flood(maxShare: 0.05) == nil, "the 2022 bulk file: 1.9%")
        #expect(census(61_000, unknown: 40_000).flood(maxShare: 0.05)?.contains("40000 of 61000") == true)
        #expect(census(1_000, unknown: 20).flood(maxShare: 0.01) != nil, "the share is configuration")
        var scopes = StatusCensus()
        scopes.count(["op_status": "Certified", "opSC_CR": "Zertifiziert", "opSC_LS": ""])
        #expect(scopes.operationsWithUnknown == 1, "a scope status counts too; a blank one is a scope not held")
    }
}
