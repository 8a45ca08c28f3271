import Foundation
import Hummingbird

/// A query string as a browser's GET form writes it (`application/x-www-form-urlencoded`):
/// `+` is a space, then percent-escapes. Hummingbird's `queryParameters` keeps `+` as it is, so a
/// search for "Oregon Tilth" from a form would look for "Oregon+Tilth". The supplier list of the
/// API reads its filters the same way, so `?q=Oregon+Tilth` means what a browser means by it.
public struct FormQuery: Sendable {
    private let values: [String: String]

    public init(_ request: Request) {
        var values: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), values[name] == nil else { continue }
            values[name] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
        self.values = values
    }

    public subscript(_ name: String) -> String? { values[name] }

    /// The value, nil when it is absent or empty (a form's empty field).
    public func nonEmpty(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
