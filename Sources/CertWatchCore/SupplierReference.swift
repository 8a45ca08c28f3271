/// How a buyer named the supplier of a purchase check.
public enum SupplierReference: Sendable, Equatable, CustomStringConvertible {
    case id(String)
    case nopOperationId(String)
    /// What a person types: a NOP operation ID, an internal id or an exact name.
    case typed(String)

    public var description: String {
        switch self {
        case .id(let text), .nopOperationId(let text), .typed(let text): text
        }
    }
}

/// A typed name that matches several suppliers: the buyer must say which.
public struct AmbiguousSupplier: Error, CustomStringConvertible {
    public var reference: String
    public var candidates: [Supplier]

    public init(reference: String, candidates: [Supplier]) {
        self.reference = reference
        self.candidates = candidates
    }

    public var description: String {
        "“\(reference)” matches \(candidates.count) suppliers (" +
            candidates.map { "\($0.name) \($0.nopOperationId?.rawValue ?? $0.id)" }.joined(separator: ", ") +
            "); give the NOP operation ID or the id"
    }
}
