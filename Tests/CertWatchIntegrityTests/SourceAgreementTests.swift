import AsyncHTTPClient
import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// One operation reads the same whichever source answered: the bulk download's XML (`op_`
/// names), the web service's DataContract XML and its WCF JSON (PascalCase names), and the
/// monthly Export workbook — so evidence and diffs do not depend on the source.
@Suite struct SourceAgreementTests {
    @Test func theSameOperationReadsTheSameFromEverySource() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await WebServiceTests.run(double, database)
                // An operation with a mailing address, a bracketed certifier, several scopes and items.
                let chosen = try #require(operations.first {
                    ($0["opMA_city"] as? String ?? "").isEmpty == false && ($0["op_certifierName"] as? String ?? "").contains("[")
                        && ($0["items"] as? [Any])?.count ?? 0 >= 4
                })
                let id = NOPOperationID(chosen["op_nopOpID"] as! String)!
                try await double.update(id.rawValue, ["op_otherNames": "N/A", "op_status": "Suspended"])

                let bulk = try await BulkVerificationTests.source(double, database: database).fetch([id])
                let since = try await VerificationJob.lastGoodSync(database: database)
                let webService = WebServiceSource(http: BulkVerificationTests.http(), url: double.webServiceURL, since: since)
                let xml = try await webService.fetch([id])
                try await double.format("json")
                let json = try await webService.fetch([id])

                let fromBulk = try #require(try bulk.operations[id]?.get())
                var fromXML = try #require(try xml.operations[id]?.get())
                let fromJSON = try #require(try json.operations[id]?.get())
                #expect(fromJSON == fromXML, "XML and JSON answers read alike")
                #expect(fromBulk.otherNames.isEmpty && fromBulk.status == .suspended && fromBulk.items.count >= 4)
                #expect(fromBulk.certifierShortName != nil && fromBulk.certifierName?.contains("[") == false)
                #expect(fromBulk.lastUpdated == CalendarDate(daysSinceEpoch: Int(Date().timeIntervalSince1970 / 86_400)), "moved to today")
                // The one documented difference: the bulk file names the country, the web service gives its ISO code.
                #expect(fromBulk.country == chosen["opPA_country"] as? String && fromXML.country?.count == 3)
                fromXML.country = fromBulk.country
                #expect(fromXML == fromBulk)

                // So a verification decides the same, and records the same changes.
                let stored = try #require(try await SupplierStore(database: database).find(nopOperationId: id)).supplier.certificate
                let byBulk = VerificationDecision.decide(stored: stored, listed: .success(fromBulk), complete: true, verifiedBefore: true)
                let byWebService = VerificationDecision.decide(stored: stored, listed: .success(fromJSON), complete: false, verifiedBefore: true)
                #expect(byBulk == byWebService && byBulk.outcome == .changed)
                // Record digests hash the bulk file's own bytes (to skip parsing unchanged records):
                // the web service gives none, so the next bulk run after it compares in full.
                #expect(bulk.recordDigests[id]?.count == 64 && xml.recordDigests.isEmpty && json.recordDigests.isEmpty)

                // The monthly Export workbook of the same data: same statuses and dates, same products per scope.
                let workbook = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).xlsx")
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: double.exportWorkbookURL), timeout: .seconds(30))
                try Data(try await response.body.collect(upTo: 16 << 20).readableBytesView).write(to: workbook)
                let fromExport = try #require(try await WorkbookFileSource(file: workbook).fetch([id]).operations[id]?.get())
                #expect(fromExport.certificate(keeping: nil).scopes == fromBulk.certificate(keeping: nil).scopes)
                #expect(fromExport.status == fromBulk.status && fromExport.anniversaryDate == fromBulk.anniversaryDate)
                #expect(fromExport.certifierShortName == fromBulk.certifierShortName && fromExport.certifierName == fromBulk.certifierName)
                func products(_ operation: IntegrityOperation) -> Set<String> {
                    Set(operation.items.flatMap { item in item.items.map { "\(item.scope?.rawValue ?? "?"): \($0)" } })
                }
                #expect(products(fromExport) == products(fromBulk))
            }
        }
    }
}
