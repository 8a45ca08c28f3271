import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a web-service answer's XML into `AnswerNode`s with FoundationXML's parser. Names are
/// local names (the DataContract namespaces, `a:` and the default one, are processed by the
/// parser); an element with `i:nil="true"` has no text. Answers are pages of 100 records, so the
/// tree is small.
final class AnswerXML: NSObject, XMLParserDelegate {
    struct Malformed: Error { var message: String }

    private var stack: [AnswerNode] = []
    private var nilElement: [Bool] = []
    private var root: AnswerNode?

    static func parse(_ bytes: [UInt8]) throws(Malformed) -> AnswerNode {
        do { try XMLSafety.check(bytes) } catch { throw Malformed(message: error.description) }
        let reader = AnswerXML()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse(), let root = reader.root else {
            let message = parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw Malformed(message: "malformed XML at line \(parser.lineNumber): \(message)")
        }
        return root
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(AnswerNode(name: name, text: ""))
        // The parser leaves attribute names qualified (`i:nil`); XMLSchema-instance's `nil` is the only one WCF writes.
        nilElement.append(attributes.contains { ($0.key == "nil" || $0.key.hasSuffix(":nil")) && $0.value == "true" })
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard var node = stack.popLast(), let isNil = nilElement.popLast() else { return }
        if isNil || !node.children.isEmpty { node.text = nil }
        if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
    }
}
