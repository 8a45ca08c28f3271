import CertWatchCore
import CertWatchIntegrity
import CertWatchStore
import Foundation

/// The decisions of a verification run, apart from its I/O, so tests call them without a database.
extension VerificationJob {
    /// Unchanged operations are recorded this many to a transaction: nothing is read back for
    /// them, so a large batch costs no memory and few round trips.
    static let unchangedBatchSize = 5_000
    /// The other suppliers are read, decided and recorded this many at a time: memory holds the
    /// answer and one batch of stored records, not the whole registry.
    static let readBatchSize = 1_000

    /// Suppliers whose operation's record hashes as at their last success: verified as they are,
    /// without reading the supplier back.
    static func unchangedResults(_ linked: [(id: String, nopOperationId: NOPOperationID)], _ answer: IntegrityAnswer) -> [VerificationStore.SupplierResult] {
        linked.compactMap { supplier in
            answer.unchanged[supplier.nopOperationId].map { status in
                VerificationStore.SupplierResult(
                    supplierId: supplier.id, nopOperationId: supplier.nopOperationId.rawValue, previousCertificate: nil,
                    decision: VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil),
                    foundStatus: status, recordDigest: answer.recordDigests[supplier.nopOperationId])
            }
        }
    }

    /// One supplier's result from the answer. A partial answer (a delta) vouches only for what
    /// an earlier verification saw: the same NOP ID, with the supplier not edited since.
    static func result(for stored: StoredSupplier, lastSuccess: (at: Date, nopOperationId: String?)?,
                       in answer: IntegrityAnswer) -> VerificationStore.SupplierResult {
        let listed = stored.supplier.nopOperationId.flatMap { answer.operations[$0] }
        let verifiedBefore = lastSuccess.map { success in
            success.nopOperationId == stored.supplier.nopOperationId?.rawValue && success.at >= stored.updatedAt
        } ?? false
        let decision = VerificationDecision.decide(
            stored: stored.supplier.certificate, listed: listed, complete: answer.isComplete, verifiedBefore: verifiedBefore)
        return VerificationStore.SupplierResult(supplier: stored, decision: decision, foundStatus: try? listed?.get().status.text,
                                        recordDigest: stored.supplier.nopOperationId.flatMap { answer.recordDigests[$0] })
    }

    /// The UTC day a whole-registry answer from INTEGRITY itself (not a file) was fetched: from
    /// then on the web service is asked for changes since that day. Nil for anything else.
    static func goodSyncDay(of answer: IntegrityAnswer, wholeRegistry: Bool) -> CalendarDate? {
        guard wholeRegistry, ["bulk", "web-service"].contains(answer.source) else { return nil }
        return CalendarDate(utc: answer.fetchedAt)
    }
}
