import Foundation

/// One answer of the web service, read as what it is: WCF DataContract XML (what the real service
/// was seen to send, even to a JSON request), WCF JSON when its Content-Type says JSON, or
/// something else, refused with a reason that says what it was.
enum WebServiceAnswer {
    /// The answer's root node. `route` names the request in messages (`Operations`).
    static func root(_ bytes: [UInt8], contentType: String, route: String) throws(WebServiceProblem) -> AnswerNode {
        let type = contentType.lowercased()
        if type.contains("html") || HTMLPage.looksLikeHTML(bytes) {
            throw WebServiceProblem(message: "\(route) answered an HTML page, not INTEGRITY's XML or JSON"
                + (HTMLPage.summary(bytes).map { ": \($0)" } ?? ""))
        }
        let first = bytes.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        if type.contains("json") || (!type.contains("xml") && first != UInt8(ascii: "<")) {
            do {
                return AnswerNode(name: "", json: try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
            } catch {
                throw WebServiceProblem(message: "\(route) answered \(type.isEmpty ? "a body" : type) that is neither XML nor JSON")
            }
        }
        do {
            return try AnswerXML.parse(bytes)
        } catch {
            throw WebServiceProblem(message: "\(route) answered \(error.message)")
        }
    }

    /// The records of an `Operations` or `Items` answer (`OperationsResult` → `Operations` →
    /// `a:Operation`), after its `Success` flag: false is INTEGRITY reporting its own error.
    static func records(_ root: AnswerNode, list: String, entry: String, route: String) throws(WebServiceProblem) -> [AnswerNode] {
        var result = root
        // WCF's wrapped JSON body style puts the result in one member (`{"OperationsResult": {…}}`).
        if root.name.isEmpty, root.children.count == 1, let only = root.children.first, only.name.hasSuffix("Result"), only.text == nil {
            result = only
        }
        if let success = result.child("Success")?.text?.trimmingCharacters(in: .whitespacesAndNewlines), success.lowercased() == "false" {
            let message = result.child("ErrorMessage")?.text?.trimmingCharacters(in: .whitespacesAndNewlines)
            throw WebServiceProblem(message: "INTEGRITY reported an error: \(message.flatMap { $0.isEmpty ? nil : $0 } ?? "no ErrorMessage given")")
        }
        guard let container = result.child(list) else {
            let shown = result.name.isEmpty ? "the JSON answer" : "<\(result.name)>"
            throw WebServiceProblem(message: "\(route): \(shown) has no <\(list)> list: the service's format has changed")
        }
        return container.entries(entry)
    }

    /// The `Operations/Count` answer: `<int xmlns="http://schemas.microsoft.com/2003/10/Serialization/">N</int>`,
    /// a bare number, a JSON number, or a JSON object holding only that number.
    static func count(_ bytes: [UInt8], contentType: String, route: String) throws(WebServiceProblem) -> Int {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let number = Int(text), number >= 0 { return number }
        let node = try root(bytes, contentType: contentType, route: route)
        let candidates = [node] + node.children
        if let value = candidates.compactMap({ $0.children.isEmpty ? $0.text.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } : nil }).first,
           value >= 0, node.children.count <= 1 {
            return value
        }
        throw WebServiceProblem(message: "\(route) answered neither a number nor <int>N</int>: \(text.prefix(120))")
    }
}

/// Why a web-service answer was refused as a whole.
struct WebServiceProblem: Error { var message: String }
