/// One operation as a person searching INTEGRITY sees it.
public struct IntegrityDirectoryEntry: Sendable, Equatable, Codable {
    public var nopOperationId: String
    public var name: String
    public var otherNames: [String]
    public var city: String?
    public var country: String?
    /// The certifier's full name, without the bracketed short name.
    public var certifier: String?
    /// The certifier's short name (`MOSA`), which buyers search for; nil when INTEGRITY gives none.
    public var certifierShortName: String?
    public var status: String

    public init(
        nopOperationId: String, name: String, otherNames: [String], city: String?, country: String?, certifier: String?,
        certifierShortName: String? = nil, status: String
    ) {
        self.nopOperationId = nopOperationId
        self.name = name
        self.otherNames = otherNames
        self.city = city
        self.country = country
        self.certifier = certifier
        self.certifierShortName = certifierShortName
        self.status = status
    }

    /// Reads the summary fields of an `op_…` record; nil without an ID or a name.
    public init?(fields: [String: String]) {
        let text = fields.field
        guard let id = text("op_nopOpID"), let name = text("op_name") else { return nil }
        let certifier = IntegrityValues.certifier(text("op_certifierName"))
        self.init(
            nopOperationId: id, name: name,
            otherNames: text("op_otherNames")?.split(separator: ";").map { String($0).trimmingWhitespace() }
                .filter { !IntegrityValues.isPlaceholder($0) } ?? [],
            city: text("opPA_city"), country: text("opPA_country"), certifier: certifier.name,
            certifierShortName: certifier.shortName, status: text("op_status") ?? "")
    }
}
