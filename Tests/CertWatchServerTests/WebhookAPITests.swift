import CertWatchCore
import CertWatchJobs
import CertWatchNotify
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// `/v1/webhook-endpoints` and `/v1/deliveries` as an integrator uses them, against a real
/// receiver that checks signatures with `standardwebhooks`.
@Suite struct WebhookAPITests {
    func dispatch(_ database: Database) -> WebhookDispatch {
        WebhookDispatch(database: database, sender: WebhookSender(policy: DestinationPolicy(allowPrivateNetworks: true)),
                        schedule: RetrySchedule(delays: [0], jitter: 0), lease: 30, owner: "test")
    }

    @Test(arguments: Backend.allCases)
    func anEndpointShowsItsSecretOnceAndReceivesASignedTest(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            try await WebhookReceiver.with { receiver in
                let created = try await server.send(.post, "/v1/webhook-endpoints", key: server.admin, json: """
                    {"url": "\(receiver.url)", "description": "ERP", "eventTypes": ["supplier.status_changed", "webhook.test"]}
                    """)
                #expect(created.status == .created)
                let id = try #require(created.json["id"] as? String)
                let secret = try #require(created.json["secret"] as? String)
                #expect(secret.hasPrefix("whsec_") && WebhookSecret(secret) != nil)
                #expect(created.headers[.location] == "/v1/webhook-endpoints/\(id)")
                #expect(try await server.send(.get, "/v1/webhook-endpoints", key: server.purchaser).status == .forbidden,
                        "endpoint URLs (tokens in query strings included) are an admin's to see")
                #expect(try await server.send(.get, "/v1/deliveries/no-such-delivery", key: server.purchaser).status == .forbidden,
                        "the role is checked before the route: a purchaser learns nothing from a 404")
                let listed = try await server.send(.get, "/v1/webhook-endpoints", key: server.admin)
                #expect(!listed.text.contains(secret), "the secret is shown once")
                #expect((listed.json["items"] as? [[String: Any]])?.first?["eventTypes"] as? [String] == ["supplier.status_changed", "webhook.test"])

                try await receiver.trust([secret])
                let queued = try await server.send(.post, "/v1/webhook-endpoints/\(id)/test", key: server.admin)
                #expect(queued.status == .accepted && queued.json["status"] as? String == "pending")
                _ = try await dispatch(server.database).runOnce()
                let received = try await receiver.received()
                #expect(received.count == 1 && received.first?.verified == true && received.first?.body?.type == "webhook.test")
                #expect(received.first?.webhookId == queued.json["webhookId"] as? String)

                let log = try await server.send(.get, "/v1/webhook-endpoints/\(id)/deliveries", key: server.admin)
                let deliveries = log.json["items"] as? [[String: Any]] ?? []
                #expect(deliveries.map { $0["status"] as? String } == ["delivered"])
                let deliveryId = try #require(deliveries.first?["id"] as? String)
                let detail = try await server.send(.get, "/v1/deliveries/\(deliveryId)", key: server.admin)
                #expect((detail.json["log"] as? [[String: Any]])?.map { $0["status"] as? Int } == [200])
                let again = try await server.send(.post, "/v1/deliveries/\(deliveryId)/redeliver", key: server.admin)
                #expect(again.status == .accepted && again.json["status"] as? String == "pending")

                let rotated = try await server.send(.post, "/v1/webhook-endpoints/\(id)/rotate-secret", key: server.admin)
                let newSecret = try #require(rotated.json["secret"] as? String)
                #expect(newSecret != secret && rotated.json["previousSecretExpiresAt"] is String)
                try await receiver.trust([newSecret])
                _ = try await dispatch(server.database).runOnce()
                #expect(try await receiver.received().last.map { $0.verified && $0.webhookId == received.first?.webhookId } == true,
                        "a redelivery keeps its webhook-id and is signed with the new secret")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func badEndpointsAreRefusedWithTheFieldNamed(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            func create(_ json: String, key: String) async throws -> Reply {
                try await server.send(.post, "/v1/webhook-endpoints", key: key, json: json)
            }
            let ftp = try await create(#"{"url": "ftp://example.com/x"}"#, key: server.admin)
            #expect(ftp.errorFields == ["url"])
            let missing = try await create(#"{"description": "no url"}"#, key: server.admin)
            #expect(missing.errorFields == ["url"])
            let unknownType = try await create(#"{"url": "https://example.com/x", "eventTypes": ["certificate.renewed"]}"#, key: server.admin)
            #expect(unknownType.errorFields == ["eventTypes"])
            let purchaser = try await create(#"{"url": "https://example.com/x"}"#, key: server.purchaser)
            #expect(purchaser.status == .forbidden)
            let unknown = try await server.send(.get, "/v1/webhook-endpoints/nope", key: server.admin)
            #expect(unknown.status == .notFound)
            let redeliver = try await server.send(.post, "/v1/deliveries/nope/redeliver", key: server.admin)
            #expect(redeliver.status == .notFound)
        }
    }

    @Test(arguments: ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest",
                      "http://[::1]/hook", "http://192.168.0.10/hook", "http://[fd00::1]/hook"])
    func privateAddressesAreRefusedUnlessAllowed(_ url: String) async throws {
        try await TestServer.run(.sqlite, settings: { $0.webhooksAllowPrivateNetworks = false }) { server in
            let refused = try await server.send(.post, "/v1/webhook-endpoints", key: server.admin, json: "{\"url\": \"\(url)\"}")
            #expect(refused.status == .unprocessableContent && refused.errorFields == ["url"])
            #expect(refused.text.contains("webhooks.allowPrivateNetworks"), "\(refused.text)")
        }
    }

    @Test(arguments: Backend.allCases)
    func endpointsCanBeDisabledAndDeleted(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let created = try await server.send(.post, "/v1/webhook-endpoints", key: server.admin, json: "{\"url\": \"http://127.0.0.1:9/hook\"}")
            let id = try #require(created.json["id"] as? String)
            let disabled = try await server.send(.patch, "/v1/webhook-endpoints/\(id)", key: server.admin, json: "{\"enabled\": false}")
            #expect(disabled.json["enabled"] as? Bool == false && disabled.json["url"] as? String == "http://127.0.0.1:9/hook")
            #expect(try await server.send(.delete, "/v1/webhook-endpoints/\(id)", key: server.admin).status == .noContent)
            #expect(try await server.send(.get, "/v1/webhook-endpoints/\(id)", key: server.admin).status == .notFound)
        }
    }
}
