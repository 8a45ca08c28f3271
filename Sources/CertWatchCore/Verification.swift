import Foundation

/// How one supplier's verification against INTEGRITY ended.
public enum VerificationOutcome: String, Sendable, Codable, CaseIterable {
    /// INTEGRITY agrees with the record.
    case verified
    /// INTEGRITY differs; the record was updated and the changes kept.
    case changed
    /// INTEGRITY no longer lists the operation. Never treated as certified.
    case notFound = "not_found"
    /// The answer could not be trusted; nothing was changed.
    case failed
}

/// What the verifier decided for one supplier, before anything is written: the pure part of a
/// verification, which tests call directly.
public struct VerificationDecision: Sendable, Equatable {
    public var outcome: VerificationOutcome
    /// The certificate to store; nil when the record must stay as it is.
    public var certificate: Certificate?
    public var changes: [CertificateChange]
    public var reason: String?

    public init(outcome: VerificationOutcome, certificate: Certificate?, changes: [CertificateChange], reason: String?) {
        self.outcome = outcome
        self.certificate = certificate
        self.changes = changes
        self.reason = reason
    }

    /// Decides from the stored certificate and what the answer says about the operation.
    /// `listed` is nil when the answer does not mention it; `complete` says whether the answer
    /// lists every operation (then absence means "no longer listed"). A "changed since" answer
    /// that does not mention the operation vouches for it only if an earlier verification did
    /// (`verifiedBefore`).
    public static func decide(
        stored: Certificate?, listed: Result<IntegrityOperation, IntegrityFormatError>?, complete: Bool,
        verifiedBefore: Bool
    ) -> VerificationDecision {
        switch listed {
        case .failure(let error):
            return VerificationDecision(outcome: .failed, certificate: nil, changes: [], reason: error.description)
        case .none where complete:
            return VerificationDecision(outcome: .notFound, certificate: nil, changes: [],
                                        reason: "INTEGRITY no longer lists this operation")
        case .none where verifiedBefore:
            return VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: "unchanged since the last sync")
        case .none:
            return VerificationDecision(outcome: .failed, certificate: nil, changes: [],
                                        reason: "not among INTEGRITY's recent changes, and not verified since it was added or edited: only a complete answer (the bulk download) can verify it, and this run had none")
        case .success(let operation):
            let certificate = operation.certificate(keeping: stored)
            let changes = CertificateChange.between(stored, certificate)
            return changes.isEmpty
                ? VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil)
                : VerificationDecision(outcome: .changed, certificate: certificate, changes: changes, reason: nil)
        }
    }
}

/// A source asked (or passed over) before another answered a verification, and why: the run
/// records it, so "the web service is gone, the bulk download answered" is on record, not silent.
public struct DeclinedSource: Sendable, Codable, Equatable {
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}
