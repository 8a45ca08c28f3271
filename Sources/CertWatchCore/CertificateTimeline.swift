import Foundation

/// A status change as verification recorded it: which field (`status`, `scopes.crops`), from
/// what to what (INTEGRITY's wording), when it was seen, and the effective date INTEGRITY gave.
public struct RecordedStatusChange: Hashable, Sendable {
    public var field: String
    public var from: String?
    public var to: String?
    public var at: Date
    public var effectiveDate: CalendarDate?

    public init(field: String, from: String?, to: String?, at: Date, effectiveDate: CalendarDate?) {
        self.field = field
        self.from = from
        self.to = to
        self.at = at
        self.effectiveDate = effectiveDate
    }
}

/// Answers "what did we know about this certificate at that moment?" by undoing, newest first,
/// the status changes recorded after it. Only statuses have a history; dates and items are
/// taken as they are now.
public enum CertificateTimeline {
    /// The certificate as known at `moment`; nil when no certificate was known yet.
    public static func certificate(_ current: Certificate?, changes: [RecordedStatusChange], at moment: Date) -> Certificate? {
        guard var certificate = current else { return nil }
        let ordered = changes.sorted { $0.at < $1.at }
        for change in ordered.reversed() where change.at > moment {
            let before = change.from.map(Self.status)
            let earlierDate = ordered.last { $0.field == change.field && $0.at <= moment }?.effectiveDate
            if change.field == "status" {
                guard let before else { return nil }
                certificate.status = before
                certificate.statusEffectiveDate = earlierDate
            } else if let scope = Scope(rawValue: String(change.field.dropFirst("scopes.".count))), change.field.hasPrefix("scopes.") {
                certificate.scopes[scope] = before.map { ScopeStatus(status: $0, effectiveDate: earlierDate) }
            }
        }
        return certificate
    }

    private static func status(_ text: String) -> CertificationStatus {
        CertificationStatus(codeOrText: text) ?? .other(text)
    }
}
