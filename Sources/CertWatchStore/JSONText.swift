import CertWatchCore
import Foundation

/// Lists and small structures kept as JSON text in one column, identical on both databases.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }

    /// Lists of text are most of what an import writes; JSONEncoder costs a tenth of the
    /// import's time for them, so they are written directly (same output).
    static func encode(_ strings: [String]) -> String {
        "[" + strings.map(quoted).joined(separator: ",") + "]"
    }

    /// `string` as a JSON string, byte for byte what `JSONEncoder.sorted` writes (`JSONString`).
    static func quoted(_ string: String) -> String {
        var out: [UInt8] = []
        JSONString.append(string, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension JSONEncoder {
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// The scope map as stored: `{"crops": {"code": "certified", "text": "Certified", "effectiveDate": "…"}}`.
struct StoredScopes: Codable {
    struct Entry: Codable {
        var code: String
        var text: String
        var effectiveDate: CalendarDate?
    }

    var entries: [String: Entry]

    init(_ scopes: [Scope: ScopeStatus]) {
        entries = Dictionary(uniqueKeysWithValues: scopes.map { scope, value in
            (scope.rawValue, Entry(code: value.status.code, text: value.status.text, effectiveDate: value.effectiveDate))
        })
    }

    init(from decoder: any Decoder) throws {
        entries = try decoder.singleValueContainer().decode([String: Entry].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries)
    }

    var scopes: [Scope: ScopeStatus] {
        Dictionary(uniqueKeysWithValues: entries.compactMap { key, entry in
            Scope(rawValue: key).map {
                ($0, ScopeStatus(status: CertificationStatus(code: entry.code, text: entry.text), effectiveDate: entry.effectiveDate))
            }
        })
    }
}
