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

extension PurchaseCheckResponse {
    /// The JSON `JSONEncoder.api` writes for this response (keys sorted, the same nulls and
    /// omissions), written directly: encoding it with Codable took a tenth of the server's time
    /// under a load of checks (docs/benchmarks.md). A test holds the two byte for byte.
    public var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.string("askedBy", check.askedBy)
        writer.string("checkId", check.id)
        writer.date("checkedAt", check.checkedAt)
        writer.string("date", check.date.description)
        writer.string("decision", check.decision.rawValue)
        writer.string("hash", check.hash)
        writer.string("headline", check.headline)
        if let number = check.lot?.importCertificate { writer.string("importCertificate", number) }
        if let line = check.importLine { writer.string("importLine", line) }
        writer.string("matchedItem", check.matchedItem)
        writer.string("prevHash", check.prevHash)
        writer.string("product", check.product)
        if let quantity = check.lot?.quantity { writer.number("quantity", quantity) }
        writer.raw("reasons", Self.reasons(check.reasons))
        writer.string("requested", check.requested)
        writer.raw("seq", Array(String(check.seq).utf8))
        writer.string("status", check.status?.code)
        writer.string("statusText", check.status?.text)
        if let id = check.supplierId {
            var supplier = JSONObjectWriter()
            supplier.string("id", id)
            if let name = check.supplierName { supplier.string("name", name) }
            if let nop = check.nopOperationId { supplier.string("nopOperationId", nop) }
            writer.raw("supplier", supplier.finished())
        } else {
            writer.raw("supplier", Array("null".utf8))
        }
        if let unit = check.lot?.unit { writer.string("unit", unit) }
        writer.string("verificationId", check.verificationId)
        writer.date("verifiedAt", check.verifiedAt)
        return writer.finished()
    }

    private static func reasons(_ reasons: [PurchaseReason]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, reason) in reasons.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            var object = JSONObjectWriter()
            object.string("code", reason.code.rawValue)
            object.string("decision", reason.decision.rawValue)
            object.string("message", reason.message)
            out += object.finished()
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}

/// A JSON object written key by key, in the order given (the caller sorts), as `JSONEncoder.api`
/// writes its parts: nil strings as `null`, dates as ISO 8601 in whole seconds.
private struct JSONObjectWriter {
    private var out: [UInt8] = [UInt8(ascii: "{")]

    init() {
        out.reserveCapacity(1_024)
    }

    private mutating func key(_ name: String) {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        JSONString.append(name, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    mutating func string(_ name: String, _ value: String?) {
        key(name)
        if let value { JSONString.append(value, to: &out) } else { out += "null".utf8 }
    }

    mutating func date(_ name: String, _ value: Date?) {
        string(name, value.map { $0.formatted(.iso8601) })
    }

    /// A number as `JSONEncoder` writes a `Double`: its shortest description, without ".0".
    mutating func number(_ name: String, _ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        raw(name, Array(text.utf8))
    }

    mutating func raw(_ name: String, _ json: [UInt8]) {
        key(name)
        out += json
    }

    mutating func finished() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }
}
