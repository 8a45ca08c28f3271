import CertWatchCore
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

// Fixed dates here are relative to the injected `now`, never to the real clock.
/// The expiry scan against a real database: each alert exactly once, the nearest threshold only,
/// a renewal withdraws the old ladder.
@Suite struct AlertScanTests {
    static let now = Timestamp.parse("2026-11-23T06:00:00.000Z")!
    static let today = CalendarDate(utc: now)

    static func supplier(_ id: String, _ name: String, nop: String?, scheme: CertificationScheme = .nop,
                         status: CertificationStatus = .certified, anniversaryIn: Int? = nil, validToIn: Int? = nil) -> Supplier {
        Supplier(id: id, name: name, nopOperationId: nop.flatMap(NOPOperationID.init), certificate: Certificate(
            scheme: scheme, status: status, anniversaryDate: anniversaryIn.map { today.adding(days: $0) },
            validTo: validToIn.map { today.adding(days: $0) }))
    }

    func scan(_ database: Database, daysLater: Int = 0) async throws -> AlertScan.Summary {
        try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1], now: Self.now.addingTimeInterval(Double(daysLater) * 86_400))
    }

    @Test(arguments: Backend.allCases)
    func eachAlertIsCreatedOnceAtItsNearestThreshold(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let registry = SupplierStore(database: database)
            for supplier in [
                Self.supplier("a", "Forty-five Days", nop: "1000000001", anniversaryIn: 45),
                Self.supplier("b", "Twenty Days", nop: "1000000002", anniversaryIn: 20),
                Self.supplier("c", "EU Five Days", nop: nil, scheme: .eu, validToIn: 5),
                Self.supplier("d", "Suspended", nop: "1000000004", status: .suspended, anniversaryIn: 10),
                Self.supplier("e", "Far Away", nop: "1000000005", anniversaryIn: 100),
            ] { _ = try await registry.create(supplier) }

            #expect(try await scan(database) == AlertScan.Summary(scanned: 3, created: 3, withdrawn: 0))
            #expect(try await scan(database).created == 0, "a second scan creates nothing")
            let alerts = try await AlertStore(database: database).list(.init()).items
            #expect(Set(alerts.map { "\($0.supplierId!):\($0.kind.rawValue):\($0.thresholdDays!)" })
                    == ["a:certificate.expiring:60", "b:certificate.expiring:30", "c:certificate.expiring:7"])
            let a = try #require(alerts.first { $0.supplierId == "a" })
            #expect(a.data.message == "Forty-five Days: the NOP anniversary date \(Self.today.adding(days: 45)) is in 45 days; the annual update is due then (US certificates do not expire).")
            #expect(a.data.basis == "anniversary" && a.data.daysLeft == 45)
            #expect(a.data.supplier?.integrityProfileUrl == "https://organic.ams.usda.gov/integrity/CP/OPP?nopid=1000000001")
            #expect(alerts.first { $0.supplierId == "c" }?.data.basis == "valid_to")

            #expect(try await scan(database, daysLater: 16).created == 3, "a at 29 days, b at 4, c expired")
            let later = try await AlertStore(database: database).list(.init(supplierId: "c")).items
            #expect(later.first?.kind == .certificateExpired && later.first?.data.message.contains("expired on") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func aRenewalWithdrawsTheOldLadderAndStartsANewOne(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let registry = SupplierStore(database: database)
            _ = try await registry.create(Self.supplier("a", "Renewing", nop: "1000000001", anniversaryIn: 45))
            #expect(try await scan(database).created == 1)
            _ = try await registry.replace(Self.supplier("a", "Renewing", nop: "1000000001", anniversaryIn: 410))
            #expect(try await scan(database) == AlertScan.Summary(scanned: 0, created: 0, withdrawn: 1))
            let old = try await AlertStore(database: database).list(.init()).items
            #expect(old.count == 1 && old[0].withdrawnAt != nil)
            #expect(try await scan(database, daysLater: 355).created == 1, "the new date's ladder starts at 60 days")
        }
    }
}
