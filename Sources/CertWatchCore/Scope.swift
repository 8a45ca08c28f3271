/// The four NOP scopes of certification. A product is certified under one of them, and the scope
/// itself must be Certified for the product to count.
public enum Scope: String, CaseIterable, Hashable, Sendable, Codable {
    case crops
    case livestock
    case wildCrops = "wild_crops"
    case handling

    /// INTEGRITY's column prefix for the scope (`opSC_CR`, `opSC_LS`, `opSC_WC`, `opSC_HANDLING`).
    public var integrityField: String {
        switch self {
        case .crops: "opSC_CR"
        case .livestock: "opSC_LS"
        case .wildCrops: "opSC_WC"
        case .handling: "opSC_HANDLING"
        }
    }

    /// Reads `crops`, `wild_crops`, `wildCrops`, `Wild Crops` and INTEGRITY's `CR`/`LS`/`WC`/`HANDLING`.
    public init?(loose text: String) {
        // INTEGRITY's own spelling first: a bulk answer repeats it a million times.
        switch text {
        case "CROPS": self = .crops; return
        case "LIVESTOCK": self = .livestock; return
        case "WILD CROPS": self = .wildCrops; return
        case "HANDLING": self = .handling; return
        default: break
        }
        let key = text.lowercased().filter { $0.isLetter }
        switch key {
        case "crops", "crop", "cr": self = .crops
        case "livestock", "ls": self = .livestock
        case "wildcrops", "wildcrop", "wc": self = .wildCrops
        case "handling", "han": self = .handling
        default: return nil
        }
    }
}
