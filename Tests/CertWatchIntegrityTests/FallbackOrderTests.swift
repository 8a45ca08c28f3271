import CertWatchCore
import CertWatchIntegrity
import Foundation
import Synchronization
import Testing

/// The rule on top of the configured source order (`FallbackSource`), as pure logic: sources here
/// are stand-ins that answer or refuse and record that they were asked. The real sources against
/// the double are in `WebServiceTests` and `WebServiceAsSeenTests`.
@Suite struct FallbackOrderTests {
    final class StandIn: IntegritySource, Sendable {
        let name: String
        let answersCompletely: Bool
        let refuses: Bool
        let asked: Mutex<Int> = Mutex(0)

        init(_ name: String, complete: Bool, refuses: Bool = false) {
            self.name = name
            self.answersCompletely = complete
            self.refuses = refuses
        }

        func fetch(_ question: IntegrityQuestion) async throws -> IntegrityAnswer {
            asked.withLock { $0 += 1 }
            if refuses { throw IntegrityAnswerRejected(source: name, url: "http://\(name)", reason: "\(name) is down") }
            return IntegrityAnswer(source: name, url: "http://\(name)", fetchedAt: Date(), digest: "", byteCount: 0, operations: [:],
                                   isComplete: answersCompletely)
        }
    }

    static let id = NOPOperationID("4920000001")!

    @Test func everyoneVouchedForTheConfiguredOrderHolds() async throws {
        let delta = StandIn("web-service", complete: false), bulk = StandIn("bulk", complete: true)
        let answer = try await FallbackSource([delta, bulk]).fetch(IntegrityQuestion(wanted: [Self.id]))
        #expect(answer.source == "web-service" && answer.declined.isEmpty && bulk.asked.withLock { $0 } == 0)
    }

    @Test func anUnvouchedSupplierPutsTheCompleteSourceFirst() async throws {
        let delta = StandIn("web-service", complete: false), bulk = StandIn("bulk", complete: true)
        let answer = try await FallbackSource([delta, bulk]).fetch(IntegrityQuestion(wanted: [Self.id], unvouched: [Self.id]))
        #expect(answer.source == "bulk" && delta.asked.withLock { $0 } == 0, "one request: the bulk download")
        #expect(answer.declined == [DeclinedSource(source: "web-service",
                                                   reason: "passed over for a complete source: 1 supplier(s) not yet verified since they were added or edited, e.g. 4920000001")])
    }

    @Test func aDueCompleteSyncPutsTheCompleteSourceFirst() async throws {
        let delta = StandIn("web-service", complete: false), bulk = StandIn("bulk", complete: true)
        let answer = try await FallbackSource([delta, bulk], completeSyncDue: true).fetch(IntegrityQuestion(wanted: [Self.id]))
        #expect(answer.source == "bulk" && answer.declined.first?.reason.hasSuffix("the periodic complete sync is due") == true)
    }

    @Test func whenTheCompleteSourceFailsTheDeltaStillAnswersAndIsNotListedAsPassedOver() async throws {
        let delta = StandIn("web-service", complete: false), bulk = StandIn("bulk", complete: true, refuses: true)
        let answer = try await FallbackSource([delta, bulk]).fetch(IntegrityQuestion(wanted: [Self.id], unvouched: [Self.id]))
        #expect(answer.source == "web-service")
        #expect(answer.declined == [DeclinedSource(source: "bulk", reason: "bulk is down")])
    }

    @Test func noSourceAnsweringListsEveryReason() async throws {
        let sources = [StandIn("bulk", complete: true, refuses: true), StandIn("web-service", complete: false, refuses: true)]
        await #expect { try await FallbackSource(sources).fetch(IntegrityQuestion(wanted: [Self.id])) } throws: { error in
            (error as? IntegrityAnswerRejected)?.reason == "bulk: bulk is down; web-service: web-service is down"
        }
    }
}
