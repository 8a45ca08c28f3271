import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

// Fixed dates here are the committed fixture workbooks' contents, read back as parsed; never compared with today.
/// The monthly workbooks, from the samples `testing/make_sample_workbook.py` generates.
@Suite struct WorkbookTests {
    static func fixture(_ name: String) -> URL { Bundle.module.url(forResource: name, withExtension: "xlsx", subdirectory: "Fixtures")! }
    static let sample = fixture("INTEGRITY_Data_sample")
    static let export = fixture("INTEGRITY_Export_sample")

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

    @Test func anExportWorkbookReadsWithItemsPerScope() async throws {
        let ids = ["4920007290", "5860004321", "1670001122"].map { NOPOperationID($0)! }
        let answer = try await WorkbookFileSource(file: Self.export).fetch(Set(ids))
        #expect(answer.isComplete && answer.directory.count == 3)
        let northfield = try #require(try answer.operations[ids[0]]?.get())
        #expect(northfield.certifierShortName == "CCOF" && northfield.certifierName == "CCOF Certification Services, LLC")
        #expect(northfield.otherNames.isEmpty, "N/A is no alias")
        #expect(northfield.anniversaryDate?.description == "2027-04-30", "a bare Excel serial")
        #expect(northfield.statusEffectiveDate?.description == "2019-04-12", "an Excel date cell")
        #expect(northfield.lastUpdated?.description == "2026-11-01", "a text date")
        #expect(northfield.scopes[.handling]?.effectiveDate?.description == "2019-04-12")
        #expect(northfield.items == [
            CertifiedItem(scope: .crops, category: "Grains", items: ["Wheat", "Oats"]),
            CertifiedItem(scope: .crops, category: "Legumes", items: ["Lentils"]),
            CertifiedItem(scope: .crops, items: ["Hay"]),
            CertifiedItem(scope: .handling, category: "Processed grains", items: ["Rolled oats"]),
        ])
        let prairie = try #require(try answer.operations[ids[1]]?.get())
        #expect(prairie.status == .suspended && prairie.scopes[.livestock]?.status == .suspended)
        #expect(prairie.certifierShortName == "MOSA" && prairie.certifierName == "Midwest Organic Services Association, Inc.", "trimmed")
        #expect(prairie.items.flatMap(\.items) == ["Milk", "Cheese"] && prairie.items.allSatisfy { $0.category == "Dairy" })
        let nilgiri = try #require(try answer.operations[ids[2]]?.get())
        #expect(nilgiri.status == .other("Applied; APEDA Certified"), "as written, not refused")
        #expect(nilgiri.items.flatMap(\.items) == ["Turmeric", "Black pepper"])
    }

    @Test func anExportWorkbookVerifiesSuppliersWithTheirItems() async throws {
        try await withTestDatabase(.sqlite) { database in
            _ = try await SupplierStore(database: database).create(Supplier(
                id: "northfield", name: "Northfield", nopOperationId: NOPOperationID("4920007290"), certificate: Certificate(status: .certified)))
            let run = try await VerificationJob.run(source: WorkbookFileSource(file: Self.export), database: database, logger: Logger(label: "test"))
            #expect(run.source == "workbook" && run.outcome == .completed && run.changed == 1 && run.failed == 0)
            let stored = try #require(try await SupplierStore(database: database).get(id: "northfield")?.supplier.certificate)
            #expect(stored.items.flatMap(\.items) == ["Wheat", "Oats", "Lentils", "Hay", "Rolled oats"])
            let found = try await IntegrityDirectoryStore(database: database).search("mosa")
            #expect(found.map(\.nopOperationId) == ["5860004321"], "buyers search by the certifier's short name")
            #expect(found.first?.certifierShortName == "MOSA" && found.first?.certifier == "Midwest Organic Services Association, Inc.")
            #expect(found.first?.otherNames == ["Prairie Creamery", "DBA Prairie"])
        }
    }

    @Test(arguments: [
        ("INTEGRITY_Export_renamed", "the workbook has neither an items sheet (ci_nopOpID) nor product columns"),
        ("INTEGRITY_Export_empty", "the workbook lists 2 operations holding a certified scope but no certified products"),
    ])
    func aWorkbookThatYieldsNoProductsIsRefused(_ name: String, _ reason: String) async throws {
        await #expect { try await WorkbookFileSource(file: Self.fixture(name)).fetch([NOPOperationID("4920007290")!]) } throws: { error in
            (error as? IntegrityAnswerRejected)?.reason.hasPrefix(reason) == true
        }
    }
}
