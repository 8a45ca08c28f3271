import Foundation

/// A supplier as a person or a file states it, before validation: every field is raw text.
///
/// The JSON API and the CSV import both fill this type and call `validated(id:)`, so the two entry
/// points accept and refuse exactly the same things.
public struct SupplierInput: Codable, Sendable, Equatable {
    public var name: String?
    public var otherNames: [String]?
    public var nopOperationId: String?
    public var certifier: String?
    public var country: String?
    public var contactEmails: [String]?
    /// The supplier's own addresses for certificate requests. Absent in a replacement keeps
    /// what is stored, so clients written before the field existed do not erase it.
    public var supplierEmails: [String]?
    public var timeZone: String?
    public var tags: [String]?
    public var certificate: CertificateInput?
    /// Marks a supplier whose purchases are imports (a NOP Import Certificate each); false when absent.
    public var imports: Bool?

    public init(
        name: String? = nil, otherNames: [String]? = nil, nopOperationId: String? = nil,
        certifier: String? = nil, country: String? = nil, contactEmails: [String]? = nil, supplierEmails: [String]? = nil,
        timeZone: String? = nil, tags: [String]? = nil, certificate: CertificateInput? = nil, imports: Bool? = nil
    ) {
        self.supplierEmails = supplierEmails
        self.imports = imports
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

public struct CertificateInput: Codable, Sendable, Equatable {
    public var scheme: String?
    public var number: String?
    public var status: String?
    /// Required when `status` is `other`: the status wording to keep.
    public var statusText: String?
    public var statusEffectiveDate: String?
    public var anniversaryDate: String?
    public var validTo: String?
    public var scopes: [String: ScopeStatusInput]?
    public var items: [CertifiedItemInput]?

    public init(
        scheme: String? = nil, number: String? = nil, status: String? = nil, statusText: String? = nil,
        statusEffectiveDate: String? = nil, anniversaryDate: String? = nil, validTo: String? = nil,
        scopes: [String: ScopeStatusInput]? = nil, items: [CertifiedItemInput]? = nil
    ) {
        self.scheme = scheme
        self.number = number
        self.status = status
        self.statusText = statusText
        self.statusEffectiveDate = statusEffectiveDate
        self.anniversaryDate = anniversaryDate
        self.validTo = validTo
        self.scopes = scopes
        self.items = items
    }
}

public struct ScopeStatusInput: Codable, Sendable, Equatable {
    public var status: String?
    public var statusText: String?
    public var effectiveDate: String?

    public init(status: String? = nil, statusText: String? = nil, effectiveDate: String? = nil) {
        self.status = status
        self.statusText = statusText
        self.effectiveDate = effectiveDate
    }
}

public struct CertifiedItemInput: Codable, Sendable, Equatable {
    public var scope: String?
    public var category: String?
    public var items: [String]?
    public var varieties: [String]?
    public var status: String?
    public var statusText: String?
    public var statusEffectiveDate: String?

    public init(
        scope: String? = nil, category: String? = nil, items: [String]? = nil, varieties: [String]? = nil,
        status: String? = nil, statusText: String? = nil, statusEffectiveDate: String? = nil
    ) {
        self.scope = scope
        self.category = category
        self.items = items
        self.varieties = varieties
        self.status = status
        self.statusText = statusText
        self.statusEffectiveDate = statusEffectiveDate
    }
}
