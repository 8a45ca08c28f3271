import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// The web service as the 2026 evidence shows it (../shared/INTEGRITY.md, last section): `Items`
/// answers shaped like the one real answer seen, and a web service that is gone.
@Suite struct WebServiceAsSeenTests {
    /// Items named the taxonomy's `Other` with the product in `ItemVarieties`, no scope, category or
    /// certificate number, labelling flags `true` or nil, some element names lower-cased: read,
    /// not refused; the scope comes from the operation when it holds one, else stays unknown.
    @Test func anItemsAnswerShapedLikeTheRealOneIsRead() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await WebServiceTests.run(double, database)
                let certified = operations.filter { $0["op_status"] as? String == "Certified" }.compactMap { $0["op_nopOpID"] as? String }
                let (several, single) = (try #require(certified.first), try #require(certified.dropFirst().first))
                try await double.update(single, ["opSC_LS": "", "opSC_WC": "", "opSC_HANDLING": ""])
                let bunnies = [
                    ["ci_itemList": "Other", "ci_varieties": "Pretzels Bunnies", "ci_organic": "true"],
                    ["ci_itemList": "Other", "ci_varieties": "Cheddar Bunnies", "ci_madeWithOrganic": "true"],
                ]
                try await double.setItems(several, bunnies)
                try await double.setItems(single, bunnies)
                try await double.itemsShape("real")

                let run = try await WebServiceTests.run(double, database)
                #expect(run.source == "web-service" && run.failed == 0 && run.changed == 2, "\(run)")
                let suppliers = SupplierStore(database: database)
                let manyScopes = try #require(try await suppliers.lookup(several).first?.supplier.certificate)
                #expect(manyScopes.items.map(\.varieties) == [["Pretzels Bunnies"], ["Cheddar Bunnies"]])
                #expect(manyScopes.items.allSatisfy { $0.items == ["Other"] && $0.scope == nil && $0.status == .certified },
                        "several scopes: which one is not guessed")
                let oneScope = try #require(try await suppliers.lookup(single).first?.supplier.certificate)
                #expect(oneScope.items.allSatisfy { $0.scope == .crops }, "the operation's only scope")

                let matcher = ProductMatcher(items: manyScopes.items)
                if case .notListed = matcher.match("Cheddar Bunnies") { Issue.record("Cheddar Bunnies is listed") }
                if case .matched = matcher.match("Crackers") { Issue.record("Crackers is not listed") }
                if case .matched = matcher.match("Other") { Issue.record("the catch-all name alone is no product") }
            }
        }
    }

    /// A web service that answers WCF's "Endpoint not found" to every route: the bulk download
    /// answers, the run says which source answered and why the first did not, and no
    /// `verification.failed` alert goes out.
    @Test(arguments: Backend.allCases)
    func aRetiredWebServiceHandsOverToTheBulkDownloadQuietly(_ backend: Backend) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(backend) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await WebServiceTests.run(double, database)
                let target = try #require(operations.first { $0["op_status"] as? String == "Certified" }?["op_nopOpID"] as? String)
                try await double.update(target, ["op_status": "Suspended"])
                try await double.retireWebService()

                let run = try await WebServiceTests.run(double, database)
                #expect(run.source == "bulk" && run.outcome == .completed && run.failed == 0 && run.changed == 1, "\(run)")
                #expect(run.declined.map(\.source) == ["web-service"])
                #expect(run.declined.first?.reason.contains("HTTP 404") == true && run.declined.first?.reason.contains("Endpoint not found") == true,
                        "\(run.declined)")
                #expect(try await VerificationStore(database: database).run(id: run.id)?.declined == run.declined, "kept with the run")
                #expect(try await BulkVerificationTests.status(target, database) == .suspended)
                let failedAlerts = try await AlertStore(database: database).list(.init(kind: .verificationFailed)).items
                #expect(failedAlerts.isEmpty, "the fallback answered: nothing failed, nothing to alert")
            }
        }
    }
}
