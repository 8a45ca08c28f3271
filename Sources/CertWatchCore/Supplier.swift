/// A supplier a handler buys from, and the certificate that lets it sell organic.
public struct Supplier: Hashable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var otherNames: [String]
    /// Links the supplier to INTEGRITY; nil for suppliers certified under other schemes only.
    public var nopOperationId: NOPOperationID?
    public var certifier: String?
    public var country: String?
    /// Buyer-side contacts who get this supplier's alerts.
    public var contactEmails: [String]
    /// Addresses at the supplier that certificate requests are sent to (never alerts).
    public var supplierEmails: [String]
    /// IANA zone used to date this supplier's alerts and digests.
    public var timeZone: String?
    public var tags: [String]
    public var certificate: Certificate?
    /// Ships into the US: every purchase needs a NOP Import Certificate (as do suppliers whose
    /// country is not the US).
    public var imports: Bool

    public init(
        id: String, name: String, otherNames: [String] = [], nopOperationId: NOPOperationID? = nil,
        certifier: String? = nil, country: String? = nil, contactEmails: [String] = [], supplierEmails: [String] = [],
        timeZone: String? = nil, tags: [String] = [], certificate: Certificate? = nil, imports: Bool = false
    ) {
        self.id = id
        self.name = name
        self.otherNames = otherNames
        self.nopOperationId = nopOperationId
        self.certifier = certifier
        self.country = country
        self.contactEmails = contactEmails
        self.supplierEmails = supplierEmails
        self.timeZone = timeZone
        self.tags = tags
        self.certificate = certificate
        self.imports = imports
    }

    /// Whether purchases from it are imports: marked so, or its country is not the US (a supplier
    /// with no country is taken as domestic).
    public var isImporter: Bool { imports || Self.isAbroad(country: country) }

    /// Whether a country as written names somewhere other than the US; no country is domestic.
    public static func isAbroad(country: String?) -> Bool {
        guard let country, !country.trimmingWhitespace().isEmpty else { return false }
        // INTEGRITY writes "United States of America (the)"; every check asks, so no regex here.
        let key = String(country.prefix { $0 != "(" }).uppercased().filter(\.isLetter)
        return !["US", "USA", "UNITEDSTATES", "UNITEDSTATESOFAMERICA"].contains(key)
    }
}
