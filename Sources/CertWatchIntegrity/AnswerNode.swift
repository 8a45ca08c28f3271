import Foundation

/// One element of a web-service answer, read from WCF DataContract XML or from WCF JSON into one
/// shape, so both are interpreted by the same code: a name (the XML element's local name or the
/// JSON member's name; empty for a JSON array's entries), a text value (nil for `i:nil="true"`,
/// JSON `null` or an element with children) and children in document order.
struct AnswerNode: Sendable, Equatable {
    var name: String
    var text: String?
    var children: [AnswerNode] = []

    /// The name as lookups compare it: the one real `Items` answer seen was printed with its tags
    /// lower-cased, and nothing says the service keeps one casing, so names match case-insensitively.
    var key: String { name.lowercased() }

    /// The first child named `name` (any case).
    func child(_ name: String) -> AnswerNode? {
        let wanted = name.lowercased()
        return children.first { $0.key == wanted }
    }

    /// The entries of a list element (`Operations`, `Scopes`): XML children named `entry` (any
    /// case), or a JSON array's.
    func entries(_ entry: String) -> [AnswerNode] {
        let wanted = entry.lowercased()
        return children.filter { $0.key == wanted || $0.name.isEmpty }
    }

    /// The node's leaf children as text fields, keyed by lower-cased name; nil and empty values are left out.
    var fields: [String: String] {
        var fields: [String: String] = [:]
        for child in children where child.children.isEmpty {
            if let text = child.text, !text.isEmpty { fields[child.key] = text }
        }
        return fields
    }

    /// Every child's lower-cased name, leaves and lists alike, nil ones included: what "is the element there" asks.
    var childNames: Set<String> { Set(children.map(\.key)) }

    /// Every element name below this node (not its own), lower-cased.
    var descendantNames: Set<String> {
        children.reduce(into: Set<String>()) { names, child in
            if !child.name.isEmpty { names.insert(child.key) }
            names.formUnion(child.descendantNames)
        }
    }
}

extension AnswerNode {
    /// A parsed JSON value as a node: objects' members and arrays' entries become children;
    /// strings, numbers and booleans become text.
    init(name: String, json value: Any) {
        self.name = name
        switch value {
        case let object as [String: Any]:
            text = nil
            children = object.sorted { $0.key < $1.key }.map { AnswerNode(name: $0.key, json: $0.value) }
        case let array as [Any]:
            text = nil
            children = array.map { AnswerNode(name: "", json: $0) }
        case let string as String:
            text = string
        case is NSNull:
            text = nil
        case let number as NSNumber:
            text = Self.isBoolean(number) ? (number.boolValue ? "true" : "false") : number.stringValue
        default:
            text = "\(value)"
        }
    }

    /// JSON `true`/`false` arrive as NSNumbers of C type `c` (numbers are `q`, `i` or `d`).
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
