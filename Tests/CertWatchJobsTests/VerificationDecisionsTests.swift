import CertWatchCore
import CertWatchIntegrity
@testable import CertWatchJobs
@testable import CertWatchStore
import Foundation
import Testing

/// The verification run's decisions, called without a database or a source.
@Suite struct VerificationDecisionsTests {
    static let nop = NOPOperationID("4920007290")!
    static let fetchedAt = Date(timeIntervalSince1970: 1_800_000_000)

    static func answer(source: String = "web-service", complete: Bool = false, unchanged: [NOPOperationID: String] = [:]) -> IntegrityAnswer {
        IntegrityAnswer(source: source, url: "https://integrity.example/rest", fetchedAt: fetchedAt, digest: "d", byteCount: 1,
                        operations: [:], isComplete: complete, unchanged: unchanged, recordDigests: [nop: "r"])
    }

    static func stored(updatedAt: Date) -> StoredSupplier {
        StoredSupplier(supplier: Supplier(id: "s1", name: "Northfield", nopOperationId: nop), createdAt: updatedAt, updatedAt: updatedAt)
    }

    @Test func anUnchangedRecordIsVerifiedAsItIs() {
        let results = VerificationJob.unchangedResults([(id: "s1", nopOperationId: Self.nop), (id: "s2", nopOperationId: NOPOperationID("1230004567")!)],
                                                       Self.answer(unchanged: [Self.nop: "Certified"]))
        #expect(results.map(\.supplierId) == ["s1"], "only the operation the answer marks unchanged")
        #expect(results.first?.decision.outcome == .verified && results.first?.foundStatus == "Certified" && results.first?.recordDigest == "r")
    }

    @Test func aDeltaVouchesOnlyForWhatAnEarlierVerificationSaw() {
        let edited = Self.fetchedAt.addingTimeInterval(-3_600)
        let before = (at: edited.addingTimeInterval(-60), nopOperationId: String?.some(Self.nop.rawValue))
        let after = (at: edited.addingTimeInterval(60), nopOperationId: String?.some(Self.nop.rawValue))
        let answer = Self.answer()
        #expect(VerificationJob.result(for: Self.stored(updatedAt: edited), lastSuccess: after, in: answer).decision.outcome == .verified)
        #expect(VerificationJob.result(for: Self.stored(updatedAt: edited), lastSuccess: before, in: answer).decision.outcome == .failed,
                "edited since its last success: the delta says nothing about it")
        #expect(VerificationJob.result(for: Self.stored(updatedAt: edited), lastSuccess: nil, in: answer).decision.outcome == .failed)
        #expect(VerificationJob.result(for: Self.stored(updatedAt: edited), lastSuccess: after, in: Self.answer(complete: true)).decision.outcome == .notFound,
                "a complete answer that does not list it")
    }

    @Test func onlyAWholeRegistryAnswerFromINTEGRITYMovesTheSyncDay() {
        #expect(VerificationJob.goodSyncDay(of: Self.answer(source: "bulk"), wholeRegistry: true) == CalendarDate(utc: Self.fetchedAt))
        #expect(VerificationJob.goodSyncDay(of: Self.answer(source: "web-service"), wholeRegistry: true) == CalendarDate(utc: Self.fetchedAt))
        #expect(VerificationJob.goodSyncDay(of: Self.answer(source: "file"), wholeRegistry: true) == nil, "a file an operator downloaded")
        #expect(VerificationJob.goodSyncDay(of: Self.answer(source: "bulk"), wholeRegistry: false) == nil, "one supplier's run")
    }
}
