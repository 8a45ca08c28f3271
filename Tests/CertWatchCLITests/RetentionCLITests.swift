import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// `certwatch retention report|purge` and `documents delete` on records filed six years ago and
/// today (dates from the real clock the binary reads).
@Suite struct RetentionCLITests {
    @Test func aPurgeRemovesWhatTheReportListedAndRefusesAnEarlierDay() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let csv = "name,nop_operation_id,status\nPaper Farm,4920007290,certified\n"
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
        let recent = try await Database.open(try DatabaseURL(parsing: db), logger: Logger(label: "test")).closing { database in
            let supplier = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID("4920007290")!))
            let sixYearsAgo = Date().addingTimeInterval(-6 * 366 * 86_400)
            _ = try await DocumentStore(database: database, now: { sixYearsAgo })
                .add(supplierId: supplier.supplier.id, kind: .organicCertificate, fileName: "old.pdf", bytes: Array("%PDF-1.4 old".utf8), uploadedBy: "t")
            return try await DocumentStore(database: database)
                .add(supplierId: supplier.supplier.id, kind: .organicCertificate, fileName: "new.pdf", bytes: Array("%PDF-1.4 new".utf8), uploadedBy: "t")
        }

        let report = try await CLI.run(["retention", "report", "--json", "--database-url", db])
        let counts = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        #expect(counts?["documents"] as? Int == 1, "\(report.stdout)\(report.stderr)")
        let before = try #require(counts?["before"] as? String)
        #expect(before == RetentionPeriod(years: 5)!.latestPurgeDate(today: TestDates.today).description, "five years back, the default")

        let tooLate = CalendarDate(iso: before)!.adding(days: 1).description
        let refused = try await CLI.run(["retention", "purge", "--before", tooLate, "--database-url", db])
        #expect(refused.status != 0 && refused.stderr.contains("retention.years"), "\(refused.stderr)")

        let purged = try await CLI.run(["retention", "purge", "--before", before, "--database-url", db])
        #expect(purged.status == 0 && purged.stdout.contains("removed 1 documents"), "\(purged.stdout)\(purged.stderr)")
        let listed = try await CLI.run(["documents", "list", "4920007290", "--json", "--database-url", db])
        let ids = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == [recent.id])

        let kept = try await CLI.run(["documents", "delete", recent.id, "--database-url", db])
        #expect(kept.status != 0 && kept.stderr.contains("may be deleted from"), "\(kept.stderr)")
        #expect(try await CLI.run(["audit", "verify", "--database-url", db]).status == 0)
    }
}
