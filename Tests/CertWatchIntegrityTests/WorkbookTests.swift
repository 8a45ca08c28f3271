import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// The monthly workbook, from the sample `testing/make_sample_workbook.py` generates.
@Suite struct WorkbookTests {
    static let sample = Bundle.module.url(forResource: "INTEGRITY_Data_sample", withExtension: "xlsx", subdirectory: "Fixtures")!

    @Test func readsOperationsAndItemsBelowTheirTitleAndLabelRows() async throws {
        let answer = try await WorkbookFileSource(file: Self.sample).fetch([NOPOperationID("4920007290")!, NOPOperationID("8150001234")!])
        #expect(answer.isComplete && answer.digest.count == 64)
        #expect(answer.directory.map(\.name) == ["Northfield Grain Co-op", "Valle Verde Aguacates", "Bergkräuter Genossenschaft"])
        let northfield = try #require(try answer.operations[NOPOperationID("4920007290")!]?.get())
        #expect(northfield.status == .certified)
        #expect(northfield.anniversaryDate?.description == "2027-04-30", "an Excel date cell")
        #expect(northfield.scopes[.handling]?.effectiveDate?.description == "2019-04-12", "a US text date")
        #expect(northfield.items.map(\.items) == [["Wheat", "Oats"], ["Rolled oats"]])
        let valle = try #require(try answer.operations[NOPOperationID("8150001234")!]?.get())
        #expect(valle.status == .suspended && valle.anniversaryDate?.description == "2027-01-15")
        #expect(answer.operations[NOPOperationID("1230004567")!] == nil, "only wanted operations are kept")
    }

    @Test func aWorkbookVerifiesSuppliersAndFillsTheDirectory() async throws {
        try await withTestDatabase(.sqlite) { database in
            _ = try await SupplierStore(database: database).create(Supplier(
                id: "valle", name: "Valle Verde", nopOperationId: NOPOperationID("8150001234"),
                certificate: Certificate(status: .certified)))
            let run = try await VerificationJob.run(source: WorkbookFileSource(file: Self.sample), database: database, logger: Logger(label: "test"))
            #expect(run.source == "workbook" && run.changed == 1)
            #expect(try await SupplierStore(database: database).get(id: "valle")?.supplier.certificate?.status == .suspended)
            #expect(try await IntegrityDirectoryStore(database: database).search("kräuterhof").map(\.nopOperationId) == ["1230004567"])
        }
    }

    @Test func aRenamedColumnRefusesTheWholeWorkbook() async throws {
        let renamed = Bundle.module.url(forResource: "INTEGRITY_Data_renamed", withExtension: "xlsx", subdirectory: "Fixtures")!
        await #expect { try await WorkbookFileSource(file: renamed).fetch([NOPOperationID("4920007290")!]) } throws: { error in
            (error as? IntegrityAnswerRejected)?.reason == "the operations sheet has no op_status column: the workbook's format has changed"
        }
    }

    @Test func aFileThatIsNotAnINTEGRITYWorkbookIsRefused() async throws {
        let junk = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UUID().uuidString).xlsx")
        try Data("not a workbook".utf8).write(to: junk)
        await #expect { try await WorkbookFileSource(file: junk).fetch([]) } throws: { error in
            (error as? IntegrityAnswerRejected)?.reason.contains("not a readable xlsx") == true
        }
    }
}
