import CertWatchCore
import CertWatchStore
import Foundation

/// A purchase check as the API shows it: the decision and reasons first, then what it relied on
/// and its place in the audit chain.
public struct PurchaseCheckResponse: Encodable {
    public var check: PurchaseCheck

    public init(check: PurchaseCheck) {
        self.check = check
    }

    enum Keys: String, CodingKey {
        case checkId, decision, reasons, headline, supplier, requested, product, matchedItem, date, status, statusText
        case verificationId, verifiedAt, checkedAt, askedBy, seq, hash, prevHash
        case importCertificate, quantity, unit, importLine
    }

    struct SupplierRef: Encodable {
        var id: String
        var name: String?
        var nopOperationId: String?
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(check.id, forKey: .checkId)
        try c.encode(check.decision.rawValue, forKey: .decision)
        try c.encode(check.reasons, forKey: .reasons)
        try c.encode(check.headline, forKey: .headline)
        try c.encode(check.supplierId.map { SupplierRef(id: $0, name: check.supplierName, nopOperationId: check.nopOperationId) },
                     forKey: .supplier)
        try c.encode(check.requested, forKey: .requested)
        try c.encode(check.product, forKey: .product)
        try c.encode(check.matchedItem, forKey: .matchedItem)
        try c.encode(check.date, forKey: .date)
        try c.encode(check.status?.code, forKey: .status)
        try c.encode(check.status?.text, forKey: .statusText)
        try c.encode(check.verificationId, forKey: .verificationId)
        try c.encode(check.verifiedAt, forKey: .verifiedAt)
        try c.encode(check.checkedAt, forKey: .checkedAt)
        try c.encode(check.askedBy, forKey: .askedBy)
        try c.encode(check.seq, forKey: .seq)
        try c.encode(check.hash, forKey: .hash)
        try c.encode(check.prevHash, forKey: .prevHash)
        try c.encodeIfPresent(check.lot?.importCertificate, forKey: .importCertificate)
        try c.encodeIfPresent(check.lot?.quantity, forKey: .quantity)
        try c.encodeIfPresent(check.lot?.unit, forKey: .unit)
        try c.encodeIfPresent(check.importLine, forKey: .importLine)
    }
}
