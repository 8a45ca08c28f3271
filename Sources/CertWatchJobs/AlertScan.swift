import CertWatchCore
import CertWatchStore
import Foundation

/// The expiry scan: plans the ladder for every certified supplier whose governing date is within
/// the farthest threshold (or has passed) and creates the alerts not created before. Run it as
/// often as you like: the alerts' unique keys make a repeat create nothing. Alerts of an old
/// ladder are withdrawn first.
public enum AlertScan {
    public struct Summary: Sendable, Equatable, Codable {
        /// Certificates within the window.
        public var scanned: Int
        public var created: Int
        /// Earlier alerts made moot by a renewal or a status change.
        public var withdrawn: Int

        public init(scanned: Int, created: Int, withdrawn: Int) {
            self.scanned = scanned
            self.created = created
            self.withdrawn = withdrawn
        }
    }

    public static func run(database: Database, thresholdDays: [Int], now: Date = Date()) async throws -> Summary {
        let today = CalendarDate(utc: now)
        let planner = AlertPlanner(thresholdDays: thresholdDays)
        let horizon = today.adding(days: planner.thresholds.last ?? 0)
        let lapsing = try await SupplierStore(database: database).lapsing(through: horizon)
        let alerts = lapsing.compactMap { certificate in
            planner.plan(supplierId: certificate.supplierId, certificate: certificate.certificate, today: today).map {
                AlertStore.NewAlert.expiry($0, supplier: AlertData.SupplierRef(
                    id: certificate.supplierId, name: certificate.name, nopOperationId: certificate.nopOperationId.flatMap(NOPOperationID.init)))
            }
        }
        let store = AlertStore(database: database)
        let withdrawn = try await store.withdrawStale(at: now)
        let created = try await store.raise(alerts, at: now)
        return Summary(scanned: lapsing.count, created: created.count, withdrawn: withdrawn)
    }
}
