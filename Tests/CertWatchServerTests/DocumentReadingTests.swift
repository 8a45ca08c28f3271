import CertWatchCore
import CertWatchDocuments
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// Real PDFs (made with fpdf2, as a certifier's software makes them) read by pdftotext and
/// cross-checked with the supplier's record.
@Suite struct DocumentReadingTests {
    static let anniversary = TestDates.today.adding(days: 150)
    static var usDate: String { us(anniversary) }

    /// A date as US certificates write it, 04/30/2027.
    static func us(_ date: CalendarDate) -> String { String(format: "%02d/%02d/%04d", date.month, date.day, date.year) }

    /// Northfield as the registry (and INTEGRITY) knows it, and Prairie Dairy beside it.
    static func registry(_ database: Database) async throws -> String {
        let store = SupplierStore(database: database)
        let certificate = Certificate(status: .certified, anniversaryDate: anniversary,
                                      scopes: [.crops: ScopeStatus(status: .certified), .handling: ScopeStatus(status: .certified)], items: [
            CertifiedItem(scope: .crops, items: ["Wheat"], status: .certified), CertifiedItem(scope: .handling, items: ["Rolled oats"], status: .certified),
        ])
        let northfield = try await store.create(Supplier(id: RecordID.make(), name: "Northfield Grain Co-op", nopOperationId: NOPOperationID("4920007290"),
                                                         certifier: "Oregon Tilth", certificate: certificate))
        _ = try await store.create(Supplier(id: RecordID.make(), name: "Prairie Dairy Farms", nopOperationId: NOPOperationID("1230004567")))
        return northfield.supplier.id
    }

    func file(_ bytes: [UInt8], _ database: Database, limits: PDFText.Limits = PDFText.Limits()) async throws -> DocumentReading {
        let id = try await Self.registry(database)
        return try await DocumentReview(database: database, limits: limits)
            .file(supplierId: id, kind: .organicCertificate, fileName: "c.pdf", bytes: bytes, uploadedBy: "test").reading
    }

    @Test(arguments: Backend.allCases)
    func aMatchingCertificateAgreesAndForgeriesAreCaught(_ backend: Backend) async throws {
        let cases: [([UInt8], [DocumentFinding.Code])] = [
            (try await CertificatePDF.make("certificate", "Northfield Grain Co-op", "4920007290", Self.usDate, "Oregon Tilth", "Wheat, Rolled oats"), []),
            (try await CertificatePDF.make("certificate", "Northfield Grain Co-op", "1230004567", Self.usDate, "Oregon Tilth", "Wheat"), [.nopIdOfAnotherOperation]),
            (try await CertificatePDF.make("certificate", "Northfeld Grains Cooperative", "4920007290", Self.usDate, "Oregon Tilth", "Wheat"), [.nameNotFound]),
            (try await CertificatePDF.make("certificate", "Northfield Grain Co-op", "4920007290", Self.usDate, "Oregon Tilth", "Wheat, Mangos"), [.productNotListed]),
            (try await CertificatePDF.make("certificate", "Northfield Grain Co-op", "4920007290", Self.us(Self.anniversary.adding(days: 365)), "Oregon Tilth", "Wheat"),
             [.anniversaryDiffers]),
        ]
        for (bytes, expected) in cases {
            try await withTestDatabase(backend) { database in
                let reading = try await file(bytes, database)
                #expect(reading.status == .read)
                #expect(reading.findings.map(\.code) == expected, "\(reading.findings)")
            }
        }
    }

    @Test func aScanWithoutTextIsRecordedForAHumanToCheck() async throws {
        try await withTestDatabase(.sqlite) { database in
            let reading = try await file(try await CertificatePDF.make("scan"), database)
            #expect(reading.status == .noText)
            #expect(reading.findings.map(\.code) == [.noTextFound])
        }
    }

    @Test func aPDFThatTakesTooLongIsStoppedAndTheUploadIsKept() async throws {
        let slow = try await CertificatePDF.make("long")
        try await withTestDatabase(.sqlite) { database in
            let started = ContinuousClock.now
            let reading = try await file(slow, database, limits: PDFText.Limits(timeout: .milliseconds(200)))
            // The detail says the timeout stopped it (alone, this takes about 0.3 s; pdftotext
            // would need over a second to finish); the bound only catches a hang on a loaded machine.
            #expect(reading.status == .notRead && reading.detail?.contains("longer than") == true, "\(reading)")
            #expect(ContinuousClock.now - started < .seconds(60))
            let stored = try await DocumentStore(database: database).list(supplierId: try await Self.supplierId(database))
            #expect(stored.count == 1, "the document is on file all the same")
        }
    }

    static func supplierId(_ database: Database) async throws -> String {
        try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID("4920007290")!)).supplier.id
    }
}
