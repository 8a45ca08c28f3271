import Foundation

/// The organic certificate on file for a supplier that a purchase check reads: the latest one
/// uploaded by the moment asked, with what reading it against the record found.
public struct CertificateOnFile: Hashable, Sendable {
    public var documentId: String
    public var uploadedAt: Date
    /// The cross-check's findings; empty when the paper agrees or was not read yet.
    public var findings: [DocumentFinding]

    public init(documentId: String, uploadedAt: Date, findings: [DocumentFinding]) {
        self.documentId = documentId
        self.uploadedAt = uploadedAt
        self.findings = findings
    }

    /// Where the paper disagrees with the record. A scan or a file that could not be read is
    /// checked by hand and is not a disagreement; a fraud notice has its own reason.
    public var mismatches: [DocumentFinding] {
        findings.filter { ![.noTextFound, .notRead, .fraudNotice].contains($0.code) }
    }

    /// The fraud notices the paper matches.
    public var fraudNotices: [DocumentFinding] {
        findings.filter { $0.code == .fraudNotice }
    }
}
