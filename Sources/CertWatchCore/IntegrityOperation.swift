/// One operation as INTEGRITY lists it (`op_…` fields) with its certified items (`ci_…` fields):
/// the outside truth a supplier's certificate is verified against.
public struct IntegrityOperation: Hashable, Sendable {
    public var nopOperationId: NOPOperationID
    public var name: String
    public var otherNames: [String]
    /// The certifier's full name, without the bracketed short name INTEGRITY puts first.
    public var certifierName: String?
    /// The bracketed short name (`MOSA` from `[MOSA] Midwest Organic …`): what buyers search for.
    public var certifierShortName: String?
    public var status: CertificationStatus
    public var statusEffectiveDate: CalendarDate?
    public var anniversaryDate: CalendarDate?
    public var lastUpdated: CalendarDate?
    public var scopes: [Scope: ScopeStatus]
    public var city: String?
    public var state: String?
    /// As the source names it: the bulk download and the workbooks write the country's name
    /// (`United States of America (the)`), the web service its ISO 3166 alpha-3 code (`USA`).
    public var country: String?
    public var items: [CertifiedItem]

    public init(
        nopOperationId: NOPOperationID, name: String, otherNames: [String] = [], certifierName: String? = nil,
        certifierShortName: String? = nil, status: CertificationStatus, statusEffectiveDate: CalendarDate? = nil, anniversaryDate: CalendarDate? = nil,
        lastUpdated: CalendarDate? = nil, scopes: [Scope: ScopeStatus] = [:], city: String? = nil,
        state: String? = nil, country: String? = nil, items: [CertifiedItem] = []
    ) {
        self.nopOperationId = nopOperationId
        self.name = name
        self.otherNames = otherNames
        self.certifierName = certifierName
        self.certifierShortName = certifierShortName
        self.status = status
        self.statusEffectiveDate = statusEffectiveDate
        self.anniversaryDate = anniversaryDate
        self.lastUpdated = lastUpdated
        self.scopes = scopes
        self.city = city
        self.state = state
        self.country = country
        self.items = items
    }

    /// The certificate this record states, in the registry's terms. NOP certificates have no
    /// valid-to date; the certificate number INTEGRITY does not carry is kept from `previous`.
    public func certificate(keeping previous: Certificate?) -> Certificate {
        Certificate(
            scheme: .nop, number: previous?.number, status: status, statusEffectiveDate: statusEffectiveDate,
            anniversaryDate: anniversaryDate, validTo: nil, scopes: scopes, items: items)
    }
}

/// Why an INTEGRITY record was not accepted. Carried into the failed verification's reason.
public struct IntegrityFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
