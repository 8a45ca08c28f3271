import CertWatchCore
import CertWatchStore
import Foundation

/// A supplier as the API shows it (ARCHITECTURE.md's contract). Absent values are `null`, never
/// missing keys, so clients can rely on the shape.
public struct SupplierResponse: Encodable {
    var stored: StoredSupplier
    var lastVerification: VerificationRecord?

    public init(stored: StoredSupplier, lastVerification: VerificationRecord?) {
        self.stored = stored
        self.lastVerification = lastVerification
    }

    enum Keys: String, CodingKey {
        case id, name, otherNames, nopOperationId, certifier, country, contactEmails, supplierEmails, timeZone, tags, imports
        case certificate, lastVerification, integrityProfileUrl, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        let s = stored.supplier
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(s.id, forKey: .id)
        try c.encode(s.name, forKey: .name)
        try c.encode(s.otherNames, forKey: .otherNames)
        try c.encode(s.nopOperationId?.rawValue, forKey: .nopOperationId)
        try c.encode(s.certifier, forKey: .certifier)
        try c.encode(s.country, forKey: .country)
        try c.encode(s.contactEmails, forKey: .contactEmails)
        try c.encode(s.supplierEmails, forKey: .supplierEmails)
        try c.encode(s.timeZone, forKey: .timeZone)
        try c.encode(s.tags, forKey: .tags)
        try c.encode(s.imports, forKey: .imports)
        try c.encode(s.certificate.map(CertificateResponse.init), forKey: .certificate)
        try c.encode(lastVerification.map(VerificationResponse.init), forKey: .lastVerification)
        try c.encode(s.nopOperationId?.integrityProfileURL, forKey: .integrityProfileUrl)
        try c.encode(stored.createdAt, forKey: .createdAt)
        try c.encode(stored.updatedAt, forKey: .updatedAt)
    }
}

struct CertificateResponse: Encodable {
    var certificate: Certificate

    enum Keys: String, CodingKey {
        case scheme, number, status, statusText, statusEffectiveDate, anniversaryDate, validTo, scopes, items
    }

    func encode(to encoder: any Encoder) throws {
        let cert = certificate
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(cert.scheme.rawValue, forKey: .scheme)
        try c.encode(cert.number, forKey: .number)
        try c.encode(cert.status.code, forKey: .status)
        try c.encode(cert.status.text, forKey: .statusText)
        try c.encode(cert.statusEffectiveDate, forKey: .statusEffectiveDate)
        try c.encode(cert.anniversaryDate, forKey: .anniversaryDate)
        try c.encode(cert.validTo, forKey: .validTo)
        let scopes = Dictionary(uniqueKeysWithValues: cert.scopes.map { ($0.key.rawValue, ScopeResponse(scope: $0.value)) })
        try c.encode(scopes, forKey: .scopes)
        try c.encode(cert.items.map(ItemResponse.init), forKey: .items)
    }
}

struct ScopeResponse: Encodable {
    var scope: ScopeStatus

    enum Keys: String, CodingKey { case status, statusText, effectiveDate }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(scope.status.code, forKey: .status)
        try c.encode(scope.status.text, forKey: .statusText)
        try c.encode(scope.effectiveDate, forKey: .effectiveDate)
    }
}

struct ItemResponse: Encodable {
    var item: CertifiedItem

    enum Keys: String, CodingKey { case scope, category, items, varieties, status, statusText, statusEffectiveDate }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(item.scope?.rawValue, forKey: .scope)
        try c.encode(item.category, forKey: .category)
        try c.encode(item.items, forKey: .items)
        try c.encode(item.varieties, forKey: .varieties)
        try c.encode(item.status.code, forKey: .status)
        try c.encode(item.status.text, forKey: .statusText)
        try c.encode(item.statusEffectiveDate, forKey: .statusEffectiveDate)
    }
}

/// A page of a list: `{items: [...], nextCursor}`.
struct PageResponse<Item: Encodable>: Encodable {
    var items: [Item]
    var nextCursor: String?

    enum Keys: String, CodingKey { case items, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}

/// A verification as the API shows it: the evidence a person or an inspector reads.
public struct VerificationResponse: Encodable {
    var record: VerificationRecord

    public init(record: VerificationRecord) {
        self.record = record
    }

    enum Keys: String, CodingKey { case id, runId, at, source, url, digest, outcome, reason, foundStatus, changes }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(record.id, forKey: .id)
        try c.encode(record.runId, forKey: .runId)
        try c.encode(record.at, forKey: .at)
        try c.encode(record.source, forKey: .source)
        try c.encode(record.url, forKey: .url)
        try c.encode(record.digest, forKey: .digest)
        try c.encode(record.outcome.rawValue, forKey: .outcome)
        try c.encode(record.reason, forKey: .reason)
        try c.encode(record.foundStatus, forKey: .foundStatus)
        try c.encode(record.changes, forKey: .changes)
    }
}
