/// One reason an input was refused, pointing at the field (and for files, the line) to fix.
public struct FieldError: Hashable, Sendable, Codable, Error, CustomStringConvertible {
    /// The 1-based line of a bulk file the error came from; nil for API bodies.
    public var line: Int?
    /// A JSON path (`certificate.items[2].scope`) or a CSV column name.
    public var field: String
    public var message: String

    public init(line: Int? = nil, field: String, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        let location = line.map { "line \($0): " } ?? ""
        return "\(location)\(field): \(message)"
    }
}

/// An input that failed validation, with every reason at once so a person can fix them in one go.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
