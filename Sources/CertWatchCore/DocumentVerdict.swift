/// What reading a document a supplier sent concluded, as `document.received` tells it: an
/// organic certificate agrees with INTEGRITY's record or does not (a fraud notice counts as not),
/// or could not be read and is checked by hand. An import certificate is never compared with
/// INTEGRITY, which does not hold them: it is always checked by hand.
public enum DocumentVerdict: String, Sendable, Codable, CaseIterable {
    case agrees
    case disagrees
    case checkByHand = "check_by_hand"

    public init(kind: DocumentKind, findings: [DocumentFinding]) {
        let paper = CertificateOnFile(documentId: "", uploadedAt: .distantPast, findings: findings)
        if kind != .organicCertificate {
            self = .checkByHand
        } else if !paper.mismatches.isEmpty || !paper.fraudNotices.isEmpty {
            self = .disagrees
        } else if findings.contains(where: { $0.code == .noTextFound || $0.code == .notRead }) {
            self = .checkByHand
        } else {
            self = .agrees
        }
    }

    /// The verdict in words, after "it".
    public var words: String {
        switch self {
        case .agrees: "agrees with INTEGRITY"
        case .disagrees: "does not match INTEGRITY"
        case .checkByHand: "needs checking by hand"
        }
    }
}
