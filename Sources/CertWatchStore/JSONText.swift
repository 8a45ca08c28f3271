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

    /// `string` as a JSON string, byte for byte what `JSONEncoder.sorted` writes (quotes,
    /// backslashes and control characters escaped, nothing else), at a fraction of its cost:
    /// audit hashes are computed over this form on every purchase check.
    static func quoted(_ string: String) -> String {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(string.utf8.count + 2)
        for byte in string.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, 0x62]
            case 0x09: out += [0x5C, 0x74]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0C: out += [0x5C, 0x66]
            case 0x0D: out += [0x5C, 0x72]
            case 0..<0x20: out += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

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
