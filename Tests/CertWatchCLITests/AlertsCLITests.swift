import Foundation
import Testing

@Suite struct AlertsCLITests {
    @Test func upcomingListsTheLadderAheadSoonestFirst() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        func day(_ offset: Int) -> String {
            let date = Date().addingTimeInterval(Double(offset) * 86_400)
            return date.formatted(.iso8601.year().month().day().dateSeparator(.dash))
        }
        let csv = """
            name,nop_operation_id,scheme,status,anniversary_date,valid_to
            Forty-five Days,1000000001,nop,certified,\(day(45)),
            Twenty Days,1000000002,nop,certified,\(day(20)),
            Lapsed Yesterday,1000000003,nop,certified,\(day(-1)),
            Far Away,1000000004,nop,certified,\(day(100)),
            EU Five Days,,eu,certified,,\(day(5))
            Suspended Ten Days,1000000005,nop,suspended,\(day(10)),

            """
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
        let listed = try await CLI.run(["alerts", "list", "--upcoming", "60d", "--json", "--database-url", db])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.map { $0["name"] as? String } == ["Lapsed Yesterday", "EU Five Days", "Twenty Days", "Forty-five Days"], "\(listed.stdout)\(listed.stderr)")
        #expect(rows.map { $0["thresholdDays"] as? Int } == [nil, 7, 30, 60])
        #expect(rows.map { $0["alert"] as? String } == ["certificate.expired", "certificate.expiring", "certificate.expiring", "certificate.expiring"])
        #expect(rows.map { $0["basis"] as? String } == ["anniversary", "valid_to", "anniversary", "anniversary"])
        #expect(rows.map { $0["daysLeft"] as? Int } == [-1, 5, 20, 45])

        let table = try await CLI.run(["alerts", "list", "--upcoming", "60", "--database-url", db])
        #expect(table.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("-1") == true, "\(table.stdout)")
        #expect(try await CLI.run(["alerts", "list", "--upcoming", "soon", "--database-url", db]).status == 64)

        let scanned = try await CLI.run(["alerts", "scan", "--database-url", db])
        #expect(scanned.stdout == "4 certificates within the alert window; 4 new alerts, 0 withdrawn\n", "\(scanned.stdout)\(scanned.stderr)")
        #expect(try await CLI.run(["alerts", "scan", "--database-url", db]).stdout.contains("; 0 new alerts"))
        let created = try await CLI.run(["alerts", "list", "--json", "--database-url", db])
        let alerts = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(Set(alerts.compactMap { $0["type"] as? String }) == ["certificate.expired", "certificate.expiring"])
        #expect(alerts.count == 4)
    }
}

/// `certwatch jobs list|run`.
@Suite struct JobsCLITests {
    @Test func runAJobNowAndSeeItListed() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let ran = try await CLI.run(["jobs", "run", "alert-scan", "--database-url", db])
        #expect(ran.status == 0 && ran.stdout.contains("alert-scan finished: {\"alertScan\":{\"created\":0"), "\(ran.stdout)\(ran.stderr)")
        let listed = try await CLI.run(["jobs", "list", "--json", "--database-url", db])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.compactMap { $0["name"] as? String } == ["verification", "alert-scan"])
        #expect(rows.first { $0["name"] as? String == "alert-scan" }?["lastOutcome"] as? String == "succeeded")
        let withRequests = try await CLI.run(["jobs", "list", "--json", "--database-url", db], environment: ["REQUESTS_HANDLER_NAME": "Example Organic Foods"])
        let named = (try JSONSerialization.jsonObject(with: Data(withRequests.stdout.utf8)) as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(named == ["verification", "alert-scan", "certificate-requests"], "the requests job once requests can be made")
        let unknown = try await CLI.run(["jobs", "run", "nope", "--database-url", db])
        #expect(unknown.status != 0 && unknown.stderr.contains("no scheduled job nope"))
    }
}
