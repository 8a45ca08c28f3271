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
        let registry = SupplierStore(database: database)
        let store = AlertStore(database: database)
        let lapsing = try await registry.lapsing(through: horizon)
        let active = try await store.activeExpiry()

        // An alert whose supplier is no longer certified within the window with that date is moot.
        var governing: [String: CalendarDate] = [:]
        governing.reserveCapacity(lapsing.count)
        for certificate in lapsing { governing[certificate.supplierId] = certificate.governing.date }
        let stale = active.filter { alert in alert.supplierId.flatMap { governing[$0] } != alert.governingDate }
        let withdrawn = try await store.withdraw(keys: stale.map(\.key), at: now)

        // Most of the window has its alert already: only the rest is written out and created.
        let existing = Set(active.map(\.key))
        let planned = lapsing.compactMap { planner.plan(supplierId: $0.supplierId, certified: $0.governing, today: today) }
            .filter { !existing.contains(AlertStore.NewAlert.key($0)) }
        let references = try await registry.references(ids: planned.map(\.supplierId))
        let created = try await store.raise(planned.compactMap { alert in
            references[alert.supplierId].map { reference in
                AlertStore.NewAlert.expiry(alert, supplier: AlertData.SupplierRef(
                    id: alert.supplierId, name: reference.name, nopOperationId: reference.nopOperationId.flatMap(NOPOperationID.init)))
            }
        }, at: now)
        return Summary(scanned: lapsing.count, created: created.count, withdrawn: withdrawn)
    }
}
