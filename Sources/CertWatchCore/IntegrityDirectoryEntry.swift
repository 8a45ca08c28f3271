/// One operation as a person searching INTEGRITY sees it.
public struct IntegrityDirectoryEntry: Sendable, Equatable, Codable {
    public var nopOperationId: String
    public var name: String
    public var otherNames: [String]
    public var city: String?
    public var country: String?
    public var certifier: String?
    public var status: String

    public init(nopOperationId: String, name: String, otherNames: [String], city: String?, country: String?, certifier: String?, status: String) {
        self.nopOperationId = nopOperationId
        self.name = name
        self.otherNames = otherNames
        self.city = city
        self.country = country
        self.certifier = certifier
        self.status = status
    }

    /// Reads the summary fields of an `op_…` record; nil without an ID or a name.
    public init?(fields: [String: String]) {
        let text = fields.field
        guard let id = text("op_nopOpID"), let name = text("op_name") else { return nil }
        self.init(
            nopOperationId: id, name: name,
            otherNames: text("op_otherNames")?.split(separator: ";").map { String($0).trimmingWhitespace() } ?? [],
            city: text("opPA_city"), country: text("opPA_country"), certifier: text("op_certifierName"),
            status: text("op_status") ?? "")
    }
}
