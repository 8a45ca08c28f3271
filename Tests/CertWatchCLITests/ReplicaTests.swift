import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// Three `certwatch serve` processes on one PostgreSQL with a one-second alert scan: no slot
/// runs twice, the replica holding the nightly verification is killed with SIGKILL and another
/// finishes it, the survivors go on scanning, the alerts equal a single replica's, and SIGTERM
/// stops each cleanly. Whether every second gets its scan is a matter of load, not of the
/// scheduler: a second in which no live replica ticked is subsumed by the next (each tick claims
/// the latest slot), so the test asserts no unbroken run of seconds.
@Suite struct ReplicaTests {
    static let suppliers = 8

    @Test func threeReplicasNeverRunASlotTwiceAndSurviveAKill() async throws {
        let text = try await CLI.databaseArgument(.postgres)
        try await IntegrityDouble.with { double in
            // Suppliers 45 days from their anniversary (not linked, so verification leaves them as
            // they are) and one linked supplier for the nightly verification to check.
            let anniversary = Date().addingTimeInterval(45 * 86_400).formatted(.iso8601.year().month().day().dateSeparator(.dash))
            let linked = try #require(try await double.operations().first { $0["op_status"] as? String == "Certified" }?["op_nopOpID"] as? String)
            let csv = "name,nop_operation_id,status,anniversary_date\nLinked Supplier,\(linked),certified,\n" + (1...Self.suppliers).map {
                "Replica Supplier \($0),,certified,\(anniversary)"
            }.joined(separator: "\n")
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", text]).status == 0)

            // The first bulk download takes 5 s: the nightly run is in flight when its replica dies.
            try await double.fault("slow", times: 1)
            let environment = ["INTEGRITY_BASE_URL": double.baseURL, "INTEGRITY_SOURCES": "bulk", "SCHEDULE_ALERT_SCAN_INTERVAL_SECONDS": "1",
                               "SCHEDULE_LEASE_SECONDS": "2", "LOG_LEVEL": "warning"]
            try await Self.withReplicas(3, text, environment: environment) { replicas in
                try await Database.open(try DatabaseURL(parsing: text), logger: .init(label: "test")).closing { database in
                    let runs = JobRunStore(database: database)

                    // Kill whichever replica holds the nightly verification while it runs.
                    let holder = try await eventually("a replica claiming the nightly slot") {
                        try await runs.runs(of: "verification").first { $0.finishedAt == nil }
                    }
                    let owner = try #require(holder.leaseOwner, "a replica claimed the nightly slot")
                    let victim = try #require(replicas.firstIndex { owner.hasSuffix(":\($0.processIdentifier)") })
                    replicas[victim].kill()
                    let killedAt = Date()

                    // Wait until another replica has finished the nightly run and 50 one-second scan slots
                    // have run, 20 of them after the kill: the events the assertions below are about.
                    _ = try await eventually("the nightly run taken over and 50 alert-scan slots, 20 after the kill", deadline: .seconds(300), every: .seconds(1)) {
                        let nightly = try await runs.runs(of: "verification").first { $0.outcome != nil }
                        let scans = try await runs.runs(of: "alert-scan").filter { $0.outcome == .succeeded && !$0.slot.hasPrefix("manual") }
                        return nightly != nil && scans.count >= 50 && scans.filter({ $0.startedAt > killedAt }).count >= 20 ? true : nil
                    }
                    let survivors = replicas.indices.filter { $0 != victim }.map { replicas[$0] }
                    for replica in survivors {
                        let started = ContinuousClock.now
                        #expect(try await replica.terminate() == 0, "SIGTERM stops a replica cleanly")
                        #expect(ContinuousClock.now - started < .seconds(20), "and within a bounded time")
                    }

                    let scans = try await runs.runs(of: "alert-scan").filter { !$0.slot.hasPrefix("manual") }
                    let seconds = scans.compactMap { ISO8601DateFormatter().date(from: $0.slot)?.timeIntervalSince1970 }.sorted()
                    #expect(scans.count >= 50, "\(scans.count) slots")
                    #expect(Set(seconds).count == scans.count, "each slot once")
                    #expect(scans.filter { $0.outcome != .succeeded }.count <= 1, "at most the slot in flight at SIGTERM is unfinished")
                    #expect(Set(scans.compactMap(\.leaseOwner)).count >= 2, "the slots were shared out")

                    let nightly = try await runs.runs(of: "verification")
                    #expect(nightly.count == 1 && nightly[0].outcome == .succeeded && nightly[0].attempts == 2,
                            "the killed replica's run was taken over and finished: \(nightly)")
                    // What one replica makes: one alert per certified supplier within the 60-day window
                    // (the eight, and the linked one if INTEGRITY's anniversary date for it is near).
                    let alerts = try await AlertStore(database: database).list(.init(limit: 100)).items.filter { $0.kind == .certificateExpiring }
                    let window = try await SupplierStore(database: database).lapsing(through: CalendarDate(utc: Date()).adding(days: 60))
                    #expect(alerts.count >= Self.suppliers && alerts.count == window.count)
                    #expect(Set(alerts.compactMap(\.supplierId)) == Set(window.map(\.supplierId)))
                }
            }
        }
    }

    /// `count` replicas, each alive for the whole of `body`.
    private static func withReplicas(_ count: Int, _ db: String, environment: [String: String],
                                     _ body: ([ServeProcess]) async throws -> Void) async throws {
        guard count > 0 else { return try await body([]) }
        try await ServeProcess.with(db, environment: environment) { first in
            try await withReplicas(count - 1, db, environment: environment) { others in try await body([first] + others) }
        }
    }
}
