import CertWatchJobs
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

@Suite struct AlertAPITests {
    @Test(arguments: Backend.allCases)
    func purchasersReadTheAlertsAScanCreated(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let anniversary = Date().addingTimeInterval(45 * 86_400).formatted(.iso8601.year().month().day().dateSeparator(.dash))
            let created = try await server.send(.post, "/v1/suppliers", key: server.admin, json: """
                {"name": "Soon Due", "nopOperationId": "1000000001", "certificate": {"status": "certified", "anniversaryDate": "\(anniversary)"}}
                """)
            let id = try #require(created.json["id"] as? String)
            _ = try await AlertScan.run(database: server.database, thresholdDays: [60, 30, 7, 1])
            let listed = try await server.send(.get, "/v1/alerts?type=certificate.expiring", key: server.purchaser)
            let items = listed.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["supplierId"] as? String == id && items.first?["thresholdDays"] as? Int == 60)
            let data = items.first?["data"] as? [String: Any]
            #expect(data?["daysLeft"] as? Int == 45 && data?["basis"] as? String == "anniversary")
            #expect(try await server.send(.get, "/v1/alerts?type=nonsense", key: server.purchaser).errorFields == ["type"])
        }
    }
}
