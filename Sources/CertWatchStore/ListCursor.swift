import Foundation

/// The keyset position after the last supplier of a page (name, then id). Opaque to clients:
/// base64url of JSON, so it survives query strings unescaped.
struct ListCursor: Codable, Equatable {
    var name: String
    var id: String

    var encoded: String {
        let data = (try? JSONEncoder().encode([name, id])) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(name: String, id: String) {
        self.name = name
        self.id = id
    }

    /// Nil when the text is not a cursor this server made.
    init?(encoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let pair = try? JSONDecoder().decode([String].self, from: data), pair.count == 2
        else { return nil }
        self.init(name: pair[0], id: pair[1])
    }
}

/// A cursor the server did not make, or one from an older version.
public struct InvalidCursor: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the cursor is not valid; start again without one" }
}
