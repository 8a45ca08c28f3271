/// Which certification scheme a certificate belongs to. It decides which date governs:
/// NOP certificates do not expire (7 CFR 205.404(c)) but have an annual anniversary date;
/// EU and most other schemes carry an explicit valid-to date.
public enum CertificationScheme: String, CaseIterable, Hashable, Sendable, Codable {
    case nop
    case eu
    case other
}

/// The status of one scope (crops, livestock, wild crops, handling) and since when.
public struct ScopeStatus: Hashable, Sendable {
    public var status: CertificationStatus
    public var effectiveDate: CalendarDate?

    public init(status: CertificationStatus, effectiveDate: CalendarDate? = nil) {
        self.status = status
        self.effectiveDate = effectiveDate
    }
}

/// One certified product line as INTEGRITY lists it (`ci_…` fields): a scope, a category and the
/// item names and varieties a buyer matches an order against.
public struct CertifiedItem: Hashable, Sendable {
    /// Nil when the source did not say and the operation holds several scopes: left unknown, never guessed.
    public var scope: Scope?
    public var category: String?
    public var items: [String]
    public var varieties: [String]
    public var status: CertificationStatus
    public var statusEffectiveDate: CalendarDate?

    public init(
        scope: Scope?, category: String? = nil, items: [String], varieties: [String] = [],
        status: CertificationStatus = .certified, statusEffectiveDate: CalendarDate? = nil
    ) {
        self.scope = scope
        self.category = category
        self.items = items
        self.varieties = varieties
        self.status = status
        self.statusEffectiveDate = statusEffectiveDate
    }
}

extension CertifiedItem {
    /// The compact form the CSV `products` column and the CLI use: `crops:Avocados (Hass|Fuerte)`;
    /// an item of unknown scope has no `scope:` part.
    public var compactForm: String {
        let varieties = varieties.isEmpty ? "" : " (\(varieties.joined(separator: "|")))"
        return "\(scope.map { "\($0.rawValue):" } ?? "")\(items.joined(separator: ", "))\(varieties)"
    }

    /// The scope as people read it ("wild crops"), or "unknown scope".
    public var scopeWords: String {
        scope.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") } ?? "unknown scope"
    }
}

/// A supplier's organic certificate as last recorded: entered by hand, imported, or verified.
public struct Certificate: Hashable, Sendable {
    public var scheme: CertificationScheme
    public var number: String?
    public var status: CertificationStatus
    public var statusEffectiveDate: CalendarDate?
    /// NOP: the annual update deadline (`op_nopAnniversaryDate`), not an expiry.
    public var anniversaryDate: CalendarDate?
    /// Schemes that expire (EU, most others): the last day the certificate is valid.
    public var validTo: CalendarDate?
    /// Scopes the operation holds; a scope that is absent is not held.
    public var scopes: [Scope: ScopeStatus]
    public var items: [CertifiedItem]

    public init(
        scheme: CertificationScheme = .nop, number: String? = nil, status: CertificationStatus,
        statusEffectiveDate: CalendarDate? = nil, anniversaryDate: CalendarDate? = nil,
        validTo: CalendarDate? = nil, scopes: [Scope: ScopeStatus] = [:], items: [CertifiedItem] = []
    ) {
        self.scheme = scheme
        self.number = number
        self.status = status
        self.statusEffectiveDate = statusEffectiveDate
        self.anniversaryDate = anniversaryDate
        self.validTo = validTo
        self.scopes = scopes
        self.items = items
    }
}
