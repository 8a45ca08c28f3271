import AsyncHTTPClient
import CertWatchCore
import CertWatchJobs
import CertWatchNotify
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// Webhook delivery end to end against a real receiver that checks signatures with the
/// `standardwebhooks` package: fan-out, signing, retries with a stable id, 410, Retry-After,
/// secret rotation and leases.
@Suite struct WebhookDeliveryTests {
    static let now = AlertScanTests.now

    /// A registry with one supplier 45 days before its anniversary, scanned, and an endpoint at `url`.
    func setUp(_ database: Database, url: String, receiver: WebhookReceiver) async throws -> WebhookEndpoint {
        _ = try await SupplierStore(database: database).create(AlertScanTests.supplier("a", "Müller Bio GmbH", nop: "1000000001", anniversaryIn: 45))
        let secret = WebhookSecret.generate()
        let endpoint = try await WebhookEndpointStore(database: database).create(
            url: url, description: "ERP", eventTypes: [], secret: secret.text, at: Self.now.addingTimeInterval(-3_600))
        try await receiver.trust([secret.text])
        _ = try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1], now: Self.now)
        return endpoint
    }

    func dispatch(_ database: Database, delays: [Double] = [0, 0, 0], owner: String = "test", now: Date? = nil) -> WebhookDispatch {
        WebhookDispatch(database: database, sender: WebhookSender(policy: DestinationPolicy(allowPrivateNetworks: true)),
                        schedule: RetrySchedule(delays: delays, jitter: 0), lease: 30, owner: owner,
                        clock: { now ?? Date() })
    }

    /// On the dispatch's clock, not the real one: a Retry-After of 120 s is due at 120 s, not before.
    @Test(arguments: Backend.allCases)
    func aRetryIsSentWhenItsTimeComesOnTheDispatchClock(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                _ = try await setUp(database, url: receiver.url, receiver: receiver)
                try await receiver.answer([(429, "120", nil)])
                try await AlertFanOut.run(database: database, email: nil, now: Self.now)
                #expect(try await dispatch(database, now: Self.now).runOnce() == [.retry(at: Self.now.addingTimeInterval(120))])
                #expect(try await dispatch(database, now: Self.now.addingTimeInterval(119)).runOnce() == [], "not yet due")
                #expect(try await dispatch(database, now: Self.now.addingTimeInterval(121)).runOnce() == [.delivered])
                #expect(try await receiver.received().count == 2)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func anExpiryAlertArrivesOnceSignedAndComplete(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                _ = try await setUp(database, url: receiver.url, receiver: receiver)
                #expect(try await AlertFanOut.run(database: database, email: nil) == 1)
                #expect(try await dispatch(database).runOnce() == [.delivered])
                // A second scan, fan-out and round add nothing.
                _ = try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1], now: Self.now)
                #expect(try await AlertFanOut.run(database: database, email: nil) == 0)
                #expect(try await dispatch(database).runOnce() == [])

                let received = try await receiver.received()
                try #require(received.count == 1)
                #expect(received[0].verified, "standardwebhooks verifies the signature: \(received[0].error ?? "")")
                #expect(received[0].webhookId?.hasPrefix("msg_") == true)
                let body = try #require(received[0].body)
                #expect(body.type == "certificate.expiring")
                #expect(body.data["daysLeft"]?.number == 45 && body.data["thresholdDays"]?.number == 60)
                #expect(body.data["basis"]?.string == "anniversary")
                #expect(body.data["governingDate"]?.string == AlertScanTests.today.adding(days: 45).description)
                guard case .object(let supplier) = body.data["supplier"] else { Issue.record("no supplier in \(body.data)"); return }
                #expect(supplier["name"]?.string == "Müller Bio GmbH")
                #expect(supplier["integrityProfileUrl"]?.string == "https://organic.ams.usda.gov/integrity/CP/OPP?nopid=1000000001")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aReceiverThatFailsTwiceGetsTheSameIdThreeTimes(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                let endpoint = try await setUp(database, url: receiver.url, receiver: receiver)
                try await receiver.answer([(500, nil, nil), (500, nil, nil)])
                try await AlertFanOut.run(database: database, email: nil)
                let worker = dispatch(database)
                #expect(try await worker.runOnce().count == 1)
                #expect(try await worker.runOnce().count == 1)
                #expect(try await worker.runOnce() == [.delivered])

                let received = try await receiver.received()
                #expect(received.map(\.status) == [500, 500, 200])
                #expect(Set(received.map(\.webhookId)).count == 1, "one webhook-id across retries")
                #expect(received.allSatisfy { $0.verified })
                let log = try await DeliveryStore(database: database).list(.init(destination: endpoint.id)).items
                #expect(log.count == 1 && log[0].status == .delivered && log[0].attempts == 3)
                let detail = try #require(try await DeliveryStore(database: database).get(log[0].id))
                #expect(detail.attempts.map(\.status) == [500, 500, 200])
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func givesUpAfterTheLastRetryAndRedeliverStartsOver(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                let endpoint = try await setUp(database, url: receiver.url, receiver: receiver)
                try await receiver.answer([(500, nil, nil), (502, nil, nil)])
                try await AlertFanOut.run(database: database, email: nil)
                let worker = dispatch(database, delays: [0])
                _ = try await worker.runOnce()
                #expect(try await worker.runOnce() == [.failed("HTTP 502 after 2 attempts")])
                #expect(try await worker.runOnce() == [], "a failed delivery is not retried")

                let outbox = DeliveryStore(database: database)
                let failed = try #require(try await outbox.list(.init(destination: endpoint.id)).items.first)
                #expect(failed.status == .failed)
                _ = try await outbox.redeliver(failed.id)
                #expect(try await worker.runOnce() == [.delivered])
                #expect(Set(try await receiver.received().map(\.webhookId)) == [failed.messageId])
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func gone410DisablesTheEndpointAndRetryAfterIsHonoured(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                let endpoint = try await setUp(database, url: receiver.url, receiver: receiver)
                try await receiver.answer([(429, "120", nil)])
                try await AlertFanOut.run(database: database, email: nil)
                let before = Date()
                guard case .retry(let at) = try await dispatch(database).runOnce().first else { Issue.record("no retry"); return }
                #expect(at.timeIntervalSince(before) >= 119 && at.timeIntervalSince(before) < 125, "Retry-After: 120")

                let outbox = DeliveryStore(database: database)
                let delivery = try #require(try await outbox.list(.init(destination: endpoint.id)).items.first)
                _ = try await outbox.redeliver(delivery.id)
                try await receiver.answer([(410, nil, nil)])
                #expect(try await dispatch(database).runOnce() == [.endpointGone])
                let disabled = try #require(try await WebhookEndpointStore(database: database).get(endpoint.id))
                #expect(!disabled.enabled && disabled.disabledReason?.contains("410") == true)
                _ = try await outbox.redeliver(delivery.id)
                #expect(try await dispatch(database).runOnce() == [], "nothing is sent to a disabled endpoint")
                _ = try await WebhookEndpointStore(database: database).update(endpoint.id, .init(enabled: true))
                #expect(try await dispatch(database).runOnce() == [.delivered], "re-enabling sends what waited")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func duringARotationBothSecretsSign(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                let endpoint = try await setUp(database, url: receiver.url, receiver: receiver)
                let store = WebhookEndpointStore(database: database)
                let newSecret = WebhookSecret.generate()
                _ = try await store.rotate(endpoint.id, to: newSecret.text, overlapUntil: Date().addingTimeInterval(3_600))
                try await receiver.trust([newSecret.text])
                try await AlertFanOut.run(database: database, email: nil)
                #expect(try await dispatch(database).runOnce() == [.delivered])
                try await receiver.trust([endpoint.secret])
                let outbox = DeliveryStore(database: database)
                let delivery = try #require(try await outbox.list(.init(destination: endpoint.id)).items.first)
                _ = try await outbox.redeliver(delivery.id)
                #expect(try await dispatch(database).runOnce() == [.delivered])
                #expect(try await receiver.received().map(\.verified) == [true, true], "the new secret and, in the overlap, the old one")

                _ = try await store.rotate(endpoint.id, to: WebhookSecret.generate().text, overlapUntil: Date())
                _ = try await outbox.redeliver(delivery.id)
                _ = try await dispatch(database).runOnce()
                #expect(try await receiver.received().last?.verified == false, "after the overlap the old secret no longer signs")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aLeaseKeepsOtherWorkersOffUntilItRunsOut(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                _ = try await setUp(database, url: receiver.url, receiver: receiver)
                try await AlertFanOut.run(database: database, email: nil)
                let outbox = DeliveryStore(database: database)
                let now = Date()
                let claimed = try await outbox.claim(.webhook, owner: "a", now: now, lease: 30, limit: 10)
                #expect(claimed.count == 1)
                #expect(try await outbox.claim(.webhook, owner: "b", now: now.addingTimeInterval(29), lease: 30, limit: 10).isEmpty)
                // "a" was killed; after its lease "b" takes over, and a late finish by "a" is ignored.
                let taken = try await outbox.claim(.webhook, owner: "b", now: now.addingTimeInterval(31), lease: 30, limit: 10)
                #expect(taken.map(\.id) == claimed.map(\.id))
                let late = DeliveryStore.Finished(delivery: claimed[0], result: AttemptResult(status: 200), verdict: .delivered,
                                                  attemptedAt: now, durationMs: 1)
                #expect(try await outbox.finish([late], owner: "a") == 0)
                #expect(try await outbox.finish([late], owner: "b") == 1)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aRenewalWithdrawsWhatWasNotDelivered(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                let endpoint = try await setUp(database, url: receiver.url, receiver: receiver)
                try await AlertFanOut.run(database: database, email: nil)
                _ = try await SupplierStore(database: database).replace(
                    AlertScanTests.supplier("a", "Müller Bio GmbH", nop: "1000000001", anniversaryIn: 410))
                _ = try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1], now: Self.now)
                #expect(try await dispatch(database).runOnce() == [])
                let log = try await DeliveryStore(database: database).list(.init(destination: endpoint.id)).items
                #expect(log.map(\.status) == [.withdrawn])
                #expect(try await receiver.received().isEmpty)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aBacklogGoesOutTwoBatchesARound(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                _ = try await setUp(database, url: receiver.url, receiver: receiver)
                for index in 2...5 {
                    _ = try await SupplierStore(database: database).create(
                        AlertScanTests.supplier("s\(index)", "Supplier \(index)", nop: nil, anniversaryIn: 40 + index))
                }
                _ = try await AlertScan.run(database: database, thresholdDays: [60, 30, 7, 1], now: Self.now)
                #expect(try await AlertFanOut.run(database: database, email: nil) == 5)
                let small = WebhookDispatch(database: database, sender: WebhookSender(policy: DestinationPolicy(allowPrivateNetworks: true)),
                                            schedule: RetrySchedule(delays: [0], jitter: 0), lease: 30, owner: "test", batchSize: 2)
                #expect(try await small.runOnce() == [.delivered, .delivered, .delivered, .delivered], "a full batch brings a second")
                #expect(try await small.runOnce() == [.delivered], "the last one")
                let received = try await receiver.received()
                #expect(Set(received.compactMap(\.webhookId)).count == 5 && received.allSatisfy { $0.verified })
            }
        }
    }
}
