/// What a purchase check answers. Ordered by severity: block wins over review, review over allow.
public enum PurchaseDecision: String, Sendable, Codable, CaseIterable, Comparable {
    case allow
    case review
    case block

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Why a check did not simply allow: a stable code for scripts and a sentence for a buyer.
public struct PurchaseReason: Hashable, Sendable, Codable {
    /// Stable reason codes. Scripts and the audit trail depend on them: add, never rename.
    public enum Code: String, Sendable, Codable, CaseIterable {
        case supplierUnknown = "supplier_unknown"
        case noCertificate = "no_certificate"
        case statusNotCertified = "status_not_certified"
        case unknownStatus = "unknown_status"
        case certificateExpired = "certificate_expired"
        case anniversaryOverdue = "anniversary_overdue"
        case scopeNotCertified = "scope_not_certified"
        case scopeUnknown = "scope_unknown"
        case productNotOnCertificate = "product_not_on_certificate"
        case productNotCertified = "product_not_certified"
        case noItemsKnown = "no_items_known"
        case notFoundInIntegrity = "not_found_in_integrity"
        case notLinkedToIntegrity = "not_linked_to_integrity"
        case verificationStale = "verification_stale"
        case lastVerificationFailed = "last_verification_failed"
        /// The certificate on file disagrees with the record INTEGRITY keeps.
        case documentMismatch = "document_mismatch"
        /// The certificate on file carries the NOP ID of another operation: a forgery's mark.
        case documentOfAnotherOperation = "document_of_another_operation"
        /// `policy.requireCertificateOnFile` and no organic certificate is on file.
        case noCertificateOnFile = "no_certificate_on_file"
        /// A NOP notice of a fraudulent certificate names the supplier or the paper on file.
        case fraudNotice = "fraud_notice"
        /// The supplier imports and the check names no NOP Import Certificate.
        case importCertificateMissing = "import_certificate_missing"
        case importCertificateUnknown = "import_certificate_unknown"
        case importCertificateOtherExporter = "import_certificate_other_exporter"
        case importCertificateProductNotListed = "import_certificate_product_not_listed"
        case importCertificateOutsidePeriod = "import_certificate_outside_period"
        case importCertificateQuantityExceeded = "import_certificate_quantity_exceeded"

        /// What the reason alone makes of a check.
        public var decision: PurchaseDecision {
            switch self {
            case .supplierUnknown, .noCertificate, .statusNotCertified, .certificateExpired, .scopeNotCertified,
                 .productNotOnCertificate, .productNotCertified, .notFoundInIntegrity, .documentOfAnotherOperation,
                 .fraudNotice, .importCertificateMissing, .importCertificateUnknown, .importCertificateOtherExporter,
                 .importCertificateProductNotListed, .importCertificateOutsidePeriod, .importCertificateQuantityExceeded:
                .block
            case .unknownStatus, .anniversaryOverdue, .scopeUnknown, .noItemsKnown, .notLinkedToIntegrity,
                 .verificationStale, .lastVerificationFailed, .documentMismatch, .noCertificateOnFile:
                .review
            }
        }
    }

    public var code: Code
    public var message: String
    /// What the reason makes of the check: its code's decision, unless the policy set a milder
    /// one (`policy.importCertificate: review`).
    public var decision: PurchaseDecision

    public init(_ code: Code, _ message: String, decision: PurchaseDecision? = nil) {
        self.code = code
        self.message = message
        self.decision = decision ?? code.decision
    }

    enum CodingKeys: String, CodingKey { case code, message, decision }

    /// Reasons recorded before a reason could carry its own decision have none: their code's.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(Code.self, forKey: .code)
        message = try c.decode(String.self, forKey: .message)
        decision = try c.decodeIfPresent(PurchaseDecision.self, forKey: .decision) ?? code.decision
    }
}
