/// Failures a caller can act on; anything else from the database is an internal error.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another supplier already has this NOP operation ID (it is the link to INTEGRITY, so it is unique).
    case duplicateNOPOperationID(String, existingSupplierId: String)
    case notFound(String)
    case duplicateKeyName(String)

    public var description: String {
        switch self {
        case .duplicateNOPOperationID(let nop, let existing):
            "NOP operation ID \(nop) already belongs to supplier \(existing)"
        case .notFound(let what): "\(what) not found"
        case .duplicateKeyName(let name): "an API key named \"\(name)\" already exists"
        }
    }
}
