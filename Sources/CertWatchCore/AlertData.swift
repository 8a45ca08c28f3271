import Foundation

/// What an alert says, as the webhook's `data` and the email's text: the supplier, what happened,
/// and a sentence a buyer reads. Fields that do not apply to the kind are left out.
public struct AlertData: Codable, Sendable, Equatable {
    public struct SupplierRef: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var nopOperationId: String?
        public var integrityProfileUrl: String?

        public init(_ supplier: Supplier) {
            self.init(id: supplier.id, name: supplier.name, nopOperationId: supplier.nopOperationId)
        }

        public init(id: String, name: String, nopOperationId: NOPOperationID?) {
            self.id = id
            self.name = name
            self.nopOperationId = nopOperationId?.rawValue
            self.integrityProfileUrl = nopOperationId?.integrityProfileURL
        }
    }

    public var message: String
    public var supplier: SupplierRef?
    /// Expiry alerts: the date that governs, and whether it is a `valid_to` or an `anniversary`.
    public var governingDate: CalendarDate?
    public var basis: String?
    public var daysLeft: Int?
    public var thresholdDays: Int?
    /// Status changes: INTEGRITY's wording before and after, and the verification that saw it.
    public var from: String?
    public var to: String?
    public var effectiveDate: CalendarDate?
    public var verificationId: String?
    /// Status changes: true when this is INTEGRITY's first answer about the supplier (`from` null).
    public var firstSighting: Bool?
    /// Failed verifications: the run, its source, why, and how many suppliers it left unverified.
    public var runId: String?
    public var source: String?
    public var reason: String?
    public var failed: Int?
    /// Document mismatches: the document on file and the codes of what disagrees.
    public var documentId: String?
    public var findings: [String]?
    /// Documents received from a supplier: the request it answered, what it is, and whether it
    /// agrees with INTEGRITY (`documentId` and `findings` as for mismatches).
    public var requestId: String?
    public var documentKind: String?
    public var verdict: String?
    /// Fraud notices: the notice, its date and its page.
    public var noticeId: String?
    public var noticeDate: CalendarDate?
    public var noticeUrl: String?
    /// Audit checkpoints: the seal on the purchase-check chain.
    public var checkpoint: Checkpoint?

    /// An `audit.checkpoint` event's seal: the chain's record `seq` had hash `hash` when it was sealed.
    public struct Checkpoint: Codable, Sendable, Equatable {
        /// Webhook endpoints get it only when they name it in their event types.
        public static let eventType = "audit.checkpoint"

        /// `head` (the chain's last record) or `purge` (the last record a retention purge removed).
        public var kind: String
        public var seq: Int
        public var hash: String
        public var sealedAt: Date
        /// The whole seal, as `certwatch audit verify --checkpoints FILE` reads it.
        public var token: String

        public init(kind: String, seq: Int, hash: String, sealedAt: Date, token: String) {
            self.kind = kind
            self.seq = seq
            self.hash = hash
            self.sealedAt = sealedAt
            self.token = token
        }
    }

    init(message: String) {
        self.message = message
    }

    /// Data that only says something, e.g. a webhook test.
    public static func note(_ message: String) -> AlertData {
        AlertData(message: message)
    }

    public static func checkpoint(_ checkpoint: Checkpoint) -> AlertData {
        var data = AlertData(message: checkpoint.kind == "purge"
            ? "The retention purge removed purchase checks through record \(checkpoint.seq); sealed."
            : "Purchase checks sealed through record \(checkpoint.seq).")
        data.checkpoint = checkpoint
        return data
    }

    public static func expiry(_ planned: PlannedExpiryAlert, supplier: SupplierRef) -> AlertData {
        var data = AlertData(message: expiryMessage(planned, name: supplier.name))
        data.supplier = supplier
        data.governingDate = planned.governing.date
        data.basis = planned.governing.basis
        data.daysLeft = planned.daysLeft
        data.thresholdDays = planned.kind == .certificateExpiring ? planned.thresholdDays : nil
        return data
    }

    private static func expiryMessage(_ planned: PlannedExpiryAlert, name: String) -> String {
        let days = planned.daysLeft == 1 ? "1 day" : "\(planned.daysLeft) days"
        switch (planned.governing, planned.kind) {
        case (.validTo(let date), .certificateExpired):
            return "\(name): the certificate expired on \(date)."
        case (.validTo(let date), _):
            return planned.daysLeft == 0 ? "\(name): the certificate ends today (valid to \(date))."
                : "\(name): the certificate ends in \(days) (valid to \(date))."
        case (.anniversary(let date), .certificateExpired):
            return "\(name): the NOP anniversary date \(date) has passed; the annual update may have lapsed (US certificates do not expire, ask the certifier)."
        case (.anniversary(let date), _):
            return "\(name): the NOP anniversary date \(date) is in \(days); the annual update is due then (US certificates do not expire)."
        }
    }

    /// A change of the operation's status, or (`firstSighting`) INTEGRITY's first answer about a
    /// supplier that a purchase would be blocked or held for: then `from` is nil, and `to` is nil
    /// when INTEGRITY does not list the NOP ID at all.
    public static func statusChange(supplier: SupplierRef, from: String?, to: String?, effectiveDate: CalendarDate?,
                                    verificationId: String, firstSighting: Bool = false) -> AlertData {
        let since = effectiveDate.map { " (effective \($0))" } ?? ""
        let message = switch (firstSighting, to) {
        case (true, nil):
            "\(supplier.name): INTEGRITY does not list NOP ID \(supplier.nopOperationId ?? "?"); purchases are blocked until the NOP ID is corrected."
        case (true, let to?):
            "\(supplier.name): first verified against INTEGRITY as \(to)\(since); purchases are blocked or held for review."
        case (false, let to):
            "\(supplier.name): INTEGRITY status \(from ?? "none") → \(to ?? "not listed")\(since)."
        }
        var data = AlertData(message: message)
        data.supplier = supplier
        data.firstSighting = firstSighting ? true : nil
        data.from = from
        data.to = to
        data.effectiveDate = effectiveDate
        data.verificationId = verificationId
        return data
    }

    public static func verificationFailed(runId: String, source: String, reason: String?, failed: Int) -> AlertData {
        let suppliers = failed == 1 ? "1 supplier" : "\(failed) suppliers"
        var data = AlertData(message: "Verification against INTEGRITY (\(source)) left \(suppliers) unverified: \(reason ?? "see the run's records").")
        data.runId = runId
        data.source = source
        data.reason = reason
        data.failed = failed
        return data
    }

    public static func documentMismatch(supplier: SupplierRef, documentId: String, mismatches: [DocumentFinding]) -> AlertData {
        var data = AlertData(message: "\(supplier.name): the certificate on file needs checking. "
            + mismatches.map(\.message).joined(separator: " "))
        data.supplier = supplier
        data.documentId = documentId
        data.findings = mismatches.map(\.code.rawValue)
        return data
    }

    public static func documentReceived(supplier: SupplierRef, documentId: String, requestId: String, kind: DocumentKind,
                                        verdict: DocumentVerdict, findings: [DocumentFinding]) -> AlertData {
        var message = "\(supplier.name) sent its \(kind.words) through CertWatch's request; it \(verdict.words)."
        if verdict == .disagrees {
            message += " " + findings.filter { $0.code != .noTextFound && $0.code != .notRead }.map(\.message).joined(separator: " ")
        }
        var data = AlertData(message: message)
        data.supplier = supplier
        data.documentId = documentId
        data.requestId = requestId
        data.documentKind = kind.rawValue
        data.verdict = verdict.rawValue
        data.findings = findings.map(\.code.rawValue)
        return data
    }

    public static func fraudNotice(supplier: SupplierRef, notice: FraudNotice) -> AlertData {
        var data = AlertData(message: "\(supplier.name): confirm the certificate with the certifier before buying. \(notice.sentence)")
        data.supplier = supplier
        data.noticeId = notice.id
        data.noticeDate = notice.noticeDate
        data.noticeUrl = notice.url
        return data
    }
}
