/// What a buyer says of the lot a purchase check is about: the number of its NOP Import
/// Certificate, the quantity and its unit. The question carries it, the policy reads it and the
/// audit row keeps it.
public struct Lot: Sendable, Equatable {
    public var importCertificate: String?
    public var quantity: Double?
    public var unit: String?

    public init(importCertificate: String? = nil, quantity: Double? = nil, unit: String? = nil) {
        self.importCertificate = importCertificate
        self.quantity = quantity
        self.unit = unit
    }

    /// True when the buyer named neither a certificate nor a quantity.
    public var isEmpty: Bool { importCertificate == nil && quantity == nil }
}
