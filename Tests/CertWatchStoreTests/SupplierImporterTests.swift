import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

// Fixed dates here are only imported and validated, never compared with today.
@Suite struct SupplierImporterTests {
    static let header = "name,nop_operation_id,status,anniversary_date,tags,products\n"

    func rows(_ body: String) throws -> [SupplierCSV.Row] {
        try SupplierCSV.rows(from: Array((Self.header + body).utf8))
    }

    @Test(arguments: Backend.allCases)
    func reimportingUpdatesByNOPIDInsteadOfDuplicating(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let importer = SupplierImporter(database: database)
            let first = try await importer.run(try rows("""
                Alpha,1000000001,certified,2027-01-01,grain,crops:Oats
                Beta,1000000002,certified,2027-02-01,,
                No NOP Ltd,,,,,
                """), dryRun: false)
            #expect(first == ImportReport(rows: 3, created: 3, updated: 0, applied: true))
            let second = try await importer.run(try rows("""
                Alpha Renamed,1000000001,suspended,2027-01-01,grain,crops:Oats
                Beta,1000000002,certified,2027-02-01,,
                no nop ltd,,,,,
                Gamma,1000000003,certified,,,
                """), dryRun: false)
            #expect(second == ImportReport(rows: 4, created: 1, updated: 3, applied: true))
            let store = SupplierStore(database: database)
            #expect(try await store.count() == 4)
            let alpha = try #require(try await store.find(nopOperationId: NOPOperationID("1000000001")!))
            #expect(alpha.supplier.name == "Alpha Renamed")
            #expect(alpha.supplier.certificate?.status == .suspended)
        }
    }

    @Test(arguments: Backend.allCases)
    func oneBadRowMeansNothingIsWrittenAndEveryBadRowIsNamed(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let importer = SupplierImporter(database: database)
            _ = try await importer.run(try rows("Existing,1000000009,certified,,,\n"), dryRun: false)
            let bad = try rows("""
                Good,1000000001,certified,2027-01-01,,
                Bad NOP,12345,certified,,,
                Bad date,1000000003,certified,2027-13-01,,
                Existing renamed,1000000009,certified,,,
                Twice,1000000001,certified,,,
                ,1000000005,certified,,,
                """)
            await #expect {
                try await importer.run(bad, dryRun: false)
            } throws: { error in
                let errors = (error as? ValidationFailure)?.errors ?? []
                return errors.map(\.line) == [3, 4, 6, 7]
                    && errors.map(\.field) == ["nopOperationId", "certificate.anniversaryDate", "nop_operation_id", "name"]
            }
            let store = SupplierStore(database: database)
            #expect(try await store.count() == 1)
            #expect(try await store.lookup("Existing").count == 1, "the good update on line 5 was not applied either")
        }
    }

    @Test(arguments: Backend.allCases)
    func aFileWithoutCertificateColumnsKeepsTheCertificatesOnRecord(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let importer = SupplierImporter(database: database)
            _ = try await importer.run(try rows("Alpha,1000000001,suspended,2027-01-01,,crops:Oats\n"), dryRun: false)
            let contacts = try SupplierCSV.rows(from: Array("name,nop_operation_id,contact_emails\nAlpha,1000000001,new@example.com\n".utf8))
            #expect(try await importer.run(contacts, dryRun: false).updated == 1)
            let alpha = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID("1000000001")!))
            #expect(alpha.supplier.contactEmails == ["new@example.com"])
            #expect(alpha.supplier.certificate?.status == .suspended && alpha.supplier.certificate?.items.count == 1)
        }
    }

    /// Issue 24: a file written before `supplier_emails` existed erases no supplier's addresses;
    /// a file with the column sets them, and an empty cell there clears them.
    @Test(arguments: Backend.allCases)
    func supplierEmailsChangeOnlyWhenTheFileHasTheColumn(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let importer = SupplierImporter(database: database)
            func importing(_ csv: String) async throws -> [String] {
                _ = try await importer.run(try SupplierCSV.rows(from: Array(csv.utf8)), dryRun: false)
                return try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID("1000000001")!)).supplier.supplierEmails
            }
            let set = try await importing("name,nop_operation_id,supplier_emails\nAlpha,1000000001,q@alpha.example;r@alpha.example\n")
            #expect(set == ["q@alpha.example", "r@alpha.example"])
            let kept = try await importing("name,nop_operation_id,contact_emails\nAlpha,1000000001,buyer@handler.example\n")
            #expect(kept == ["q@alpha.example", "r@alpha.example"], "an older file keeps them")
            let cleared = try await importing("name,nop_operation_id,supplier_emails\nAlpha,1000000001,\n")
            #expect(cleared == [], "an empty cell clears them")
        }
    }

    @Test func aNameTwiceWithoutNOPIDIsAnError() async throws {
        try await withTestDatabase(.sqlite) { database in
            await #expect {
                try await SupplierImporter(database: database).run(try rows("Same Name,,,,,\nsame name,,,,,\n"), dryRun: false)
            } throws: { error in
                (error as? ValidationFailure)?.errors.map(\.line) == [3]
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aDryRunCountsButWritesNothing(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let report = try await SupplierImporter(database: database).run(try rows("A,1000000001,,,,\nB,,,,,\n"), dryRun: true)
            #expect(report == ImportReport(rows: 2, created: 2, updated: 0, applied: false))
            #expect(try await SupplierStore(database: database).count() == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func aLargeFileIsWrittenInBatches(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let body = (0..<5_000).map { "Supplier \($0),\(2_000_000_000 + $0),certified,2027-01-01,t\($0 % 7),crops:Oats;handling:Flour\n" }.joined()
            let progress = ProgressLog()
            let report = try await SupplierImporter(database: database).run(try rows(body), dryRun: false) { done, total in
                progress.record(done, total)
            }
            #expect(report.created == 5_000)
            #expect(progress.values.last == 5_000 && progress.values == progress.values.sorted())
            let store = SupplierStore(database: database)
            #expect(try await store.count() == 5_000)
            let last = try #require(try await store.find(nopOperationId: NOPOperationID("2000004999")!))
            #expect(last.supplier.certificate?.items.count == 2)
            #expect(try await store.list(SupplierQuery(tag: "t3", limit: 500)).items.count == 500)
        }
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int] = []
    func record(_ done: Int, _ total: Int) { lock.withLock { recorded.append(done) } }
    var values: [Int] { lock.withLock { recorded } }
}
