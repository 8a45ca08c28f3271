import Foundation

/// A supplier as a purchase check sees it at one moment: its record with the certificate, the
/// verification that knowledge rests on, the certificate on file and NOP's fraud notices naming it.
public struct SupplierSnapshot: Sendable {
    public let supplier: Supplier
    /// The latest verification by the moment, whatever its outcome.
    public let latestVerification: VerificationEvidence?
    /// The latest successful (`verified` or `changed`) verification by the moment.
    public let lastSuccessAt: Date?
    public let certificateOnFile: CertificateOnFile?
    public let fraudNotices: [FraudNotice]
    /// The certificate's items prepared once for every check answered from this snapshot.
    public let matcher: ProductMatcher

    public init(supplier: Supplier, latestVerification: VerificationEvidence?, lastSuccessAt: Date?,
                certificateOnFile: CertificateOnFile?, fraudNotices: [FraudNotice]) {
        self.supplier = supplier
        self.latestVerification = latestVerification
        self.lastSuccessAt = lastSuccessAt
        self.certificateOnFile = certificateOnFile
        self.fraudNotices = fraudNotices
        matcher = ProductMatcher(items: supplier.certificate?.items ?? [])
    }
}
