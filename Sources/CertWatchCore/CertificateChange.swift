/// One difference between the certificate on record and what a verification found: the "what
/// changed since the previous verification" of the audit trail.
public struct CertificateChange: Hashable, Sendable, Codable, CustomStringConvertible {
    public var field: String
    public var from: String?
    public var to: String?

    public init(field: String, from: String?, to: String?) {
        self.field = field
        self.from = from
        self.to = to
    }

    public var description: String { "\(field): \(from ?? "none") → \(to ?? "none")" }

    /// The differences from `old` to `new`, field by field; empty when nothing changed.
    public static func between(_ old: Certificate?, _ new: Certificate) -> [CertificateChange] {
        var changes: [CertificateChange] = []
        func compare(_ field: String, _ a: String?, _ b: String?) {
            if a != b { changes.append(CertificateChange(field: field, from: a, to: b)) }
        }
        compare("status", old?.status.text, new.status.text)
        compare("statusEffectiveDate", old?.statusEffectiveDate?.description, new.statusEffectiveDate?.description)
        compare("anniversaryDate", old?.anniversaryDate?.description, new.anniversaryDate?.description)
        compare("validTo", old?.validTo?.description, new.validTo?.description)
        for scope in Scope.allCases {
            compare("scopes.\(scope.rawValue)", old?.scopes[scope]?.status.text, new.scopes[scope]?.status.text)
        }
        let oldItems = Set((old?.items ?? []).map(Self.itemLine)), newItems = Set(new.items.map(Self.itemLine))
        for removed in oldItems.subtracting(newItems).sorted() { changes.append(CertificateChange(field: "items", from: removed, to: nil)) }
        for added in newItems.subtracting(oldItems).sorted() { changes.append(CertificateChange(field: "items", from: nil, to: added)) }
        return changes
    }

    private static func itemLine(_ item: CertifiedItem) -> String {
        "\(item.compactForm) [\(item.status.text)]"
    }
}
