import Foundation

/// What a purchase check knows when it decides: the supplier with its certificate as known on the
/// date asked, the verification that knowledge rests on, and the product.
public struct PurchaseFacts: Sendable {
    /// What the buyer typed for the supplier, for the message when nothing matches.
    public var requested: String
    public var supplier: Supplier?
    public var product: String
    /// The delivery date asked about.
    public var date: CalendarDate
    /// The latest verification on or before the moment the answer is given for.
    public var verification: VerificationEvidence?
    /// The latest successful (`verified` or `changed`) verification up to that moment.
    public var lastSuccessAt: Date?
    /// The moment verification age is measured at: now, or the end of a past date.
    public var asOf: Date
    /// The certificate's items prepared for matching, by a caller that keeps them between checks;
    /// prepared from the certificate when nil.
    public var matcher: ProductMatcher?
    /// The latest organic certificate on file by `asOf`, if any.
    public var certificateOnFile: CertificateOnFile?
    /// NOP's fraud notices that name the supplier, as imported by `asOf`.
    public var fraudNotices: [FraudNotice]
    /// The lot asked about: its import certificate's number and the quantity.
    public var lot: Lot
    /// The import certificate with the lot's number as recorded by `asOf`; nil when there is none.
    public var importCertificateOnRecord: ImportCertificate?
    /// By that certificate's line product: what earlier checks answered allow or review counted
    /// against it, in the line's unit.
    public var usedByLine: [String: Double]

    public init(
        requested: String, supplier: Supplier?, product: String, date: CalendarDate,
        verification: VerificationEvidence?, lastSuccessAt: Date?, asOf: Date, matcher: ProductMatcher? = nil,
        certificateOnFile: CertificateOnFile? = nil, fraudNotices: [FraudNotice] = [], lot: Lot = Lot(),
        importCertificateOnRecord: ImportCertificate? = nil, usedByLine: [String: Double] = [:]
    ) {
        self.lot = lot
        self.importCertificateOnRecord = importCertificateOnRecord
        self.usedByLine = usedByLine
        self.matcher = matcher
        self.certificateOnFile = certificateOnFile
        self.fraudNotices = fraudNotices
        self.requested = requested
        self.supplier = supplier
        self.product = product
        self.date = date
        self.verification = verification
        self.lastSuccessAt = lastSuccessAt
        self.asOf = asOf
    }
}

/// The part of a verification record the policy reads.
public struct VerificationEvidence: Hashable, Sendable {
    public var id: String
    public var at: Date
    public var outcome: VerificationOutcome
    public var reason: String?

    public init(id: String, at: Date, outcome: VerificationOutcome, reason: String?) {
        self.id = id
        self.at = at
        self.outcome = outcome
        self.reason = reason
    }
}

/// The policy's answer: the decision, every reason that applies (most severe first), and the
/// certified item the product matched.
public struct PurchaseAssessment: Hashable, Sendable {
    public var decision: PurchaseDecision
    public var reasons: [PurchaseReason]
    public var matchedItem: String?
    /// The import certificate's product line the lot counts against.
    public var importLine: String?
}

/// Decides whether a product may be bought from a supplier on a date. Pure: the same facts always
/// give the same answer, so every rule is tested without a database. Unknown, stale or missing
/// data is never an allow.
public struct PurchasePolicy: Sendable, Equatable {
    /// `policy.maxVerificationAgeDays`: older evidence needs a person's review.
    public var maxVerificationAgeDays: Int
    /// `policy.anniversaryGraceDays`: days after a NOP anniversary date before it is flagged.
    public var anniversaryGraceDays: Int
    /// `policy.requireCertificateOnFile`: a supplier without an organic certificate on file needs review.
    public var requireCertificateOnFile: Bool
    /// `policy.importCertificate`: what a check of an importing supplier without one answers.
    public var importCertificate: ImportCertificateRule

    public init(maxVerificationAgeDays: Int = 7, anniversaryGraceDays: Int = 0, requireCertificateOnFile: Bool = false,
                importCertificate: ImportCertificateRule = .block) {
        self.maxVerificationAgeDays = maxVerificationAgeDays
        self.anniversaryGraceDays = anniversaryGraceDays
        self.requireCertificateOnFile = requireCertificateOnFile
        self.importCertificate = importCertificate
    }

    public func assess(_ facts: PurchaseFacts) -> PurchaseAssessment {
        guard let supplier = facts.supplier else {
            return Self.answer([PurchaseReason(.supplierUnknown, "No supplier in the registry matches “\(facts.requested)”.")], matchedItem: nil)
        }
        let (lotReasons, importLine) = self.lotReasons(supplier, facts)
        var reasons = evidenceReasons(supplier, facts) + paperReasons(supplier, facts.certificateOnFile) + Self.fraudReasons(facts.fraudNotices, paper: facts.certificateOnFile) + lotReasons
        guard let certificate = supplier.certificate else {
            reasons.append(PurchaseReason(.noCertificate, "No organic certificate is on record for \(supplier.name)."))
            return Self.answer(reasons, matchedItem: nil, importLine: importLine)
        }
        reasons += statusReasons(certificate)
        reasons += dateReasons(certificate, on: facts.date)
        let matcher = facts.matcher ?? ProductMatcher(items: certificate.items)
        let (productReasons, matchedItem) = Self.productReasons(certificate, product: facts.product, matcher: matcher)
        return Self.answer(reasons + productReasons, matchedItem: matchedItem, importLine: importLine)
    }

    static func answer(_ reasons: [PurchaseReason], matchedItem: String?, importLine: String? = nil) -> PurchaseAssessment {
        let order = PurchaseReason.Code.allCases
        let sorted = reasons.sorted { a, b in
            a.decision != b.decision
                ? a.decision > b.decision
                : order.firstIndex(of: a.code)! < order.firstIndex(of: b.code)!
        }
        return PurchaseAssessment(decision: sorted.first?.decision ?? .allow, reasons: sorted, matchedItem: matchedItem, importLine: importLine)
    }

    /// Whether INTEGRITY recently vouched for the supplier.
    private func evidenceReasons(_ supplier: Supplier, _ facts: PurchaseFacts) -> [PurchaseReason] {
        guard let nopId = supplier.nopOperationId else { return [Self.notLinked(supplier)] }
        guard let verification = facts.verification else {
            return [PurchaseReason(.verificationStale, "Never verified against INTEGRITY by \(Self.time(facts.asOf)).")]
        }
        var reasons: [PurchaseReason] = []
        switch verification.outcome {
        case .notFound:
            return [PurchaseReason(.notFoundInIntegrity, "INTEGRITY does not list operation \(nopId.rawValue) (verified \(Self.time(verification.at))).")]
        case .failed:
            reasons.append(PurchaseReason(.lastVerificationFailed,
                                          "The last verification, \(Self.time(verification.at)), failed: \(verification.reason ?? "no reason recorded")."))
        case .verified, .changed:
            break
        }
        if let success = facts.lastSuccessAt {
            let age = Int(facts.asOf.timeIntervalSince(success) / 86_400)
            if age > maxVerificationAgeDays {
                reasons.append(PurchaseReason(.verificationStale,
                                              "Last verified against INTEGRITY \(Self.time(success)), \(age) days before the check (limit \(maxVerificationAgeDays))."))
            }
        } else {
            reasons.append(PurchaseReason(.verificationStale, "Never verified successfully against INTEGRITY by \(Self.time(facts.asOf))."))
        }
        return reasons
    }

    static func notLinked(_ supplier: Supplier) -> PurchaseReason {
        PurchaseReason(.notLinkedToIntegrity, "\(supplier.name) has no NOP operation ID, so its certificate cannot be verified against INTEGRITY.")
    }

    /// Whether the certificate on file agrees with the record (7 CFR 205.103: the handler keeps it).
    func paperReasons(_ supplier: Supplier, _ paper: CertificateOnFile?) -> [PurchaseReason] {
        guard let paper else {
            return requireCertificateOnFile
                ? [PurchaseReason(.noCertificateOnFile, "No organic certificate of \(supplier.name) is on file; file one before buying.")]
                : []
        }
        let mismatches = paper.mismatches
        guard !mismatches.isEmpty else { return [] }
        let uploaded = "The certificate on file (uploaded \(Self.time(paper.uploadedAt)))"
        var reasons = [PurchaseReason(.documentMismatch,
                                      "\(uploaded) does not match INTEGRITY: " + mismatches.map(\.message).joined(separator: " "))]
        if let other = mismatches.first(where: { $0.code == .nopIdOfAnotherOperation }) {
            reasons.append(PurchaseReason(.documentOfAnotherOperation, "\(uploaded) may be forged: \(other.message)"))
        }
        return reasons
    }

    /// Every fraud notice that names the supplier or the paper on file, once each.
    static func fraudReasons(_ notices: [FraudNotice], paper: CertificateOnFile?) -> [PurchaseReason] {
        let sentences = notices.map(\.sentence) + (paper?.fraudNotices.map(\.message) ?? [])
        var seen: Set<String> = []
        return sentences.filter { seen.insert($0).inserted }.map { PurchaseReason(.fraudNotice, "Confirm the certificate with the certifier. \($0)") }
    }

    private func statusReasons(_ certificate: Certificate) -> [PurchaseReason] {
        switch certificate.status {
        case .certified:
            return []
        case .other(let text):
            return [PurchaseReason(.unknownStatus, "INTEGRITY gives the status “\(text)”, which CertWatch does not know; check it by hand.")]
        default:
            return [PurchaseReason(.statusNotCertified, "Certification \(Self.since(certificate.status, certificate.statusEffectiveDate)).")]
        }
    }

    private func dateReasons(_ certificate: Certificate, on date: CalendarDate) -> [PurchaseReason] {
        var reasons: [PurchaseReason] = []
        if let validTo = certificate.validTo, validTo < date {
            reasons.append(PurchaseReason(.certificateExpired, "The certificate is valid to \(validTo), before \(date)."))
        }
        if certificate.scheme == .nop, let anniversary = certificate.anniversaryDate,
           anniversary.adding(days: anniversaryGraceDays) < date {
            reasons.append(PurchaseReason(.anniversaryOverdue,
                                          "The NOP anniversary date \(anniversary) has passed by \(date); the annual update may have lapsed, so ask the certifier."))
        }
        return reasons
    }

    /// What the certificate alone makes of any purchase on `date` (its status, its validity and
    /// anniversary), before evidence, papers and products.
    public func certificateAssessment(_ certificate: Certificate, on date: CalendarDate) -> PurchaseAssessment {
        Self.answer(statusReasons(certificate) + dateReasons(certificate, on: date), matchedItem: nil)
    }

    /// Whether the product is on the certificate, and certified under a certified scope.
    private static func productReasons(_ certificate: Certificate, product: String, matcher: ProductMatcher) -> ([PurchaseReason], String?) {
        guard !certificate.items.isEmpty else {
            return ([PurchaseReason(.noItemsKnown, "No certified products are on record, so “\(product)” cannot be checked; check the certificate by hand.")], nil)
        }
        switch matcher.match(product) {
        case .notListed(let suggestions):
            let hint = suggestions.isEmpty ? "" : " Did you mean \(suggestions.joined(separator: ", "))?"
            return ([PurchaseReason(.productNotOnCertificate, "“\(product)” is not among the certified products.\(hint)")], nil)
        case .matched(let matches):
            // The same product may be listed under several scopes; any one that is fully certified suffices.
            let assessed = matches.map { ($0, itemReasons($0, certificate)) }
            let best = assessed.first { $0.1.isEmpty } ?? assessed[0]
            return (best.1, best.0.name)
        }
    }

    private static func itemReasons(_ match: ProductMatcher.Match, _ certificate: Certificate) -> [PurchaseReason] {
        var reasons: [PurchaseReason] = []
        let item = match.item
        switch item.status {
        case .certified: break
        case .other(let text):
            reasons.append(PurchaseReason(.unknownStatus, "\(match.name) is listed with the status “\(text)”, which CertWatch does not know."))
        default:
            reasons.append(PurchaseReason(.productNotCertified, "\(match.name): \(since(item.status, item.statusEffectiveDate))."))
        }
        let scopeName = item.scopeWords
        if certificate.scopes.isEmpty {
            reasons.append(PurchaseReason(.scopeUnknown, "No scope statuses are on record, so the \(scopeName) scope cannot be checked."))
        } else if item.scope == nil {
            // Whichever scope it falls under must be Certified: fine when every scope is.
            let uncertified = certificate.scopes.filter { $0.value.status != .certified }.map { "\($0.key.rawValue.replacingOccurrences(of: "_", with: " ")): \($0.value.status.text)" }.sorted()
            if !uncertified.isEmpty {
                reasons.append(PurchaseReason(.scopeUnknown, "INTEGRITY does not say which scope \(match.name) falls under, and not every scope is Certified (\(uncertified.joined(separator: ", ")))."))
            }
        } else if let itemScope = item.scope, let scope = certificate.scopes[itemScope] {
            switch scope.status {
            case .certified: break
            case .other(let text):
                reasons.append(PurchaseReason(.unknownStatus, "The \(scopeName) scope has the status “\(text)”, which CertWatch does not know."))
            default:
                reasons.append(PurchaseReason(.scopeNotCertified, "The \(scopeName) scope: \(since(scope.status, scope.effectiveDate))."))
            }
        } else {
            reasons.append(PurchaseReason(.scopeNotCertified, "The certificate does not hold the \(scopeName) scope that \(match.name) falls under."))
        }
        return reasons
    }

    private static func time(_ instant: Date) -> String { instant.utcMinuteText }

    private static func since(_ status: CertificationStatus, _ date: CalendarDate?) -> String {
        date.map { "\(status.text) since \($0)" } ?? status.text
    }
}
