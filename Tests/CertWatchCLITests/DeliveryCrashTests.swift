import CertWatchTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// At least once, for real: `certwatch serve` is killed with SIGKILL while it is delivering, and
/// a restarted server delivers every alert, each with its original webhook-id.
@Suite struct DeliveryCrashTests {
    static let suppliers = 12

    @Test(arguments: Backend.allCases)
    func killingTheServerMidDeliveryLosesNothing(_ backend: Backend) async throws {
        let db = try await CLI.databaseArgument(backend)
        let anniversary = Date().addingTimeInterval(45 * 86_400).formatted(.iso8601.year().month().day().dateSeparator(.dash))
        let csv = "name,nop_operation_id,status,anniversary_date\n" + (1...Self.suppliers).map {
            "Supplier \($0),\(1_000_000_000 + $0),certified,\(anniversary)"
        }.joined(separator: "\n")
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
        let environment = ["WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true", "DELIVERY_LEASE_SECONDS": "2"]

        try await WebhookReceiver.with { receiver in
            let added = try await CLI.run(["webhooks", "add", receiver.url, "--json", "--database-url", db], environment: environment)
            let endpoint = try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: String]
            let secret = try #require(endpoint?["secret"], "\(added.stderr)")
            try await receiver.trust([secret])
            #expect(try await CLI.run(["alerts", "scan", "--database-url", db]).stdout.contains("\(Self.suppliers) new alerts"))
            // The first message hangs (it is recorded only after the test), so the round is in
            // flight when the server is killed.
            try await receiver.answer([(200, nil, 60.0)])

            let beforeKill = try await ServeProcess.with(db, environment: environment) { first in
                let delivered = try await receiver.waitFor { $0.count >= Self.suppliers - 1 }
                first.kill()
                return delivered
            }

            try await ServeProcess.with(db, environment: environment) { second in
                let afterRestart = try await receiver.waitFor(timeout: .seconds(30)) { messages in
                    Set(messages.dropFirst(beforeKill.count).compactMap(\.webhookId)).count == Self.suppliers
                }.dropFirst(beforeKill.count)
                #expect(afterRestart.allSatisfy { $0.verified && $0.status == 200 })
                #expect(Set(afterRestart.compactMap { $0.body?.data["message"]?.string }).count == Self.suppliers)
                #expect(Set(beforeKill.compactMap(\.webhookId)).isSubset(of: Set(afterRestart.compactMap(\.webhookId))),
                        "a resent message keeps its webhook-id")

                let key = try await CLI.run(["keys", "create", "--name", "check", "--role", "admin", "--database-url", db]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let id = try #require(endpoint?["id"])
                let log = try await second.get("/v1/webhook-endpoints/\(id)/deliveries?status=delivered", key: key)
                #expect((log["items"] as? [[String: Any]])?.count == Self.suppliers, "every delivery is recorded as delivered")
                #expect(try await second.terminate() == 0, "SIGTERM stops the server cleanly")
            }
        }
    }
}
