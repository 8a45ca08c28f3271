import CertWatchTestSupport
import Foundation
import Testing

/// `certwatch webhooks add|list|test` against a real receiver.
@Suite struct WebhooksCLITests {
    @Test func addListAndTestAnEndpoint() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        try await WebhookReceiver.with { receiver in
            // A typing mistake is a usage error (64), told before any database is opened or made.
            let unopened = FileManager.default.temporaryDirectory.appendingPathComponent("cw-\(UUID().uuidString).sqlite").path
            let typo = try await CLI.run(["webhooks", "add", receiver.url, "--event-type", "supplier.status_chnged", "--database-url", "sqlite:" + unopened])
            #expect(typo.status == 64 && typo.stderr.contains("unknown type \"supplier.status_chnged\""))
            #expect(!FileManager.default.fileExists(atPath: unopened))

            let refused = try await CLI.run(["webhooks", "add", receiver.url, "--database-url", db], environment: ["WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "false"])
            #expect(refused.status != 0 && refused.stderr.contains("webhooks.allowPrivateNetworks"))

            let allow = ["WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true"]
            let added = try await CLI.run(["webhooks", "add", receiver.url, "--event-type", "supplier.status_changed", "--database-url", db],
                                    environment: allow)
            #expect(added.status == 0)
            let secret = try #require(added.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            let id = try #require(added.stdout.split(separator: " ").dropFirst().first.map(String.init))
            #expect(secret.hasPrefix("whsec_"))

            let listed = try await CLI.run(["webhooks", "list", "--database-url", db])
            #expect(listed.stdout.contains(id) && listed.stdout.contains("supplier.status_changed") && !listed.stdout.contains(secret))

            try await receiver.trust([secret])
            let tested = try await CLI.run(["webhooks", "test", id, "--database-url", db], environment: allow)
            #expect(tested.status == 0 && tested.stdout.contains("HTTP 200"))
            #expect(try await receiver.received().map { $0.verified && $0.body?.type == "webhook.test" } == [true])

            try await receiver.answer([(500, nil, nil)])
            let failing = try await CLI.run(["webhooks", "test", id, "--database-url", db], environment: allow)
            #expect(failing.status == 1 && failing.stderr.contains("HTTP 500"))
        }
    }
}
