import CertWatchCore
import CertWatchGate
import CertWatchJobs
import CertWatchNotify
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// The chain's seal leaves the database: a signed `audit.checkpoint` webhook to the endpoints that
/// ask for it (and only those), once per sealed place.
@Suite struct AuditSealingTests {
    static let key = AuditSealKey("a checkpoint key of at least thirty-two characters")!

    @Test(arguments: Backend.allCases)
    func aCheckpointGoesSignedToTheEndpointsThatAskForIt(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            try await WebhookReceiver.with { receiver in
                let now = Date()
                let secret = WebhookSecret.generate()
                try await receiver.trust([secret.text])
                let endpoints = WebhookEndpointStore(database: database)
                _ = try await endpoints.create(url: receiver.url, description: "archive", eventTypes: [AlertData.Checkpoint.eventType],
                                               secret: secret.text, at: now)
                _ = try await endpoints.create(url: receiver.url + "/everything", description: "ERP", eventTypes: [], secret: secret.text, at: now)
                let logger = Logger(label: "test")
                #expect(try await AuditSealing.sealHead(database: database, key: Self.key, logger: logger).isEmpty, "an empty chain has nothing to seal")

                _ = try await SupplierStore(database: database).create(AlertScanTests.supplier("a", "Valle Verde", nop: "8150001234", anniversaryIn: 45))
                _ = try await PurchaseGate(database: database, policy: PurchasePolicy(), now: { now })
                    .check(.init(supplier: .nopOperationId("8150001234"), product: "avocados", askedBy: "buyer"))
                let sealed = try await AuditSealing.sealHead(database: database, key: Self.key, logger: logger, now: now)
                #expect(sealed.map(\.kind) == [.head] && sealed.first?.seq == 1)
                #expect(try await AuditSealing.sealHead(database: database, key: Self.key, logger: logger).isEmpty, "the same head is sealed once")

                let dispatch = WebhookDispatch(database: database, sender: WebhookSender(policy: DestinationPolicy(allowPrivateNetworks: true)),
                                               schedule: RetrySchedule(delays: [0], jitter: 0), lease: 30, owner: "test", clock: { Date() })
                #expect(try await dispatch.runOnce() == [.delivered], "one delivery: the endpoint for every type is not sent seals unasked")
                let received = try await receiver.received()
                try #require(received.count == 1)
                #expect(received[0].verified, "standardwebhooks verifies the signature: \(received[0].error ?? "")")
                let body = try #require(received[0].body)
                #expect(body.type == "audit.checkpoint")
                guard case .object(let checkpoint) = body.data["checkpoint"] else { Issue.record("no checkpoint in \(body.data)"); return }
                let token = try #require(checkpoint["token"]?.string)
                #expect(token == sealed.first?.token)
                #expect(AuditCheckpoint(token: Substring(token))?.isSealed(by: Self.key) == true, "the receiver's copy verifies")
                #expect(checkpoint["seq"]?.number == 1 && checkpoint["kind"]?.string == "head")
            }
        }
    }
}
