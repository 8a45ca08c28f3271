import CertWatchCore
import Hummingbird
import HummingbirdCore

/// The `limit` query parameter every list takes: a whole number from 1 to the list's maximum.
enum ListLimit {
    /// The limit asked for, nil when absent; a bad value adds a field error instead.
    static func parse(_ parameters: FlatDictionary<Substring, Substring>, max: Int, errors: inout [FieldError]) -> Int? {
        guard let text = parameters["limit"] else { return nil }
        guard let value = Int(text), (1...max).contains(value) else {
            errors.append(FieldError(field: "limit", message: "must be a whole number from 1 to \(max)"))
            return nil
        }
        return value
    }
}
