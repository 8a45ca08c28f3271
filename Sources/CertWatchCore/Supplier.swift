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
    /// IANA zone used to date this supplier's alerts and digests.
    public var timeZone: String?
    public var tags: [String]
    public var certificate: Certificate?

    public init(
        id: String, name: String, otherNames: [String] = [], nopOperationId: NOPOperationID? = nil,
        certifier: String? = nil, country: String? = nil, contactEmails: [String] = [],
        timeZone: String? = nil, tags: [String] = [], certificate: Certificate? = nil
    ) {
        self.id = id
        self.name = name
        self.otherNames = otherNames
        self.nopOperationId = nopOperationId
        self.certifier = certifier
        self.country = country
        self.contactEmails = contactEmails
        self.timeZone = timeZone
        self.tags = tags
        self.certificate = certificate
    }
}
