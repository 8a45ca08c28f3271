import CertWatchCore

/// One web-service answer read into the bulk vocabulary's fields, as `WebServiceSource` reads
/// each page: the shape checks, the translation and the per-record reading, without the HTTP.
/// Public so the fuzzers and the replay of their findings drive exactly this code.
public enum WebServiceRecords {
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// An `Operations` page: each operation's `op_…` fields.
    public static func operations(_ bytes: [UInt8], contentType: String) throws(Refused) -> [[String: String]] {
        do {
            let root = try WebServiceAnswer.root(bytes, contentType: contentType, route: "Operations")
            return try WebServiceAnswer.records(root, list: "Operations", entry: "Operation", route: "Operations")
                .map { node throws(WebServiceProblem) in try WebServiceVocabulary.operation(node) }
        } catch {
            throw Refused(description: error.message)
        }
    }

    /// An `Items` page of operation `id`: each item's `ci_…` fields.
    public static func items(_ bytes: [UInt8], contentType: String, of id: NOPOperationID) throws(Refused) -> [[String: String]] {
        do {
            let root = try WebServiceAnswer.root(bytes, contentType: contentType, route: "Items")
            return try WebServiceAnswer.records(root, list: "Items", entry: "Item", route: "Items")
                .map { node throws(WebServiceProblem) in try WebServiceVocabulary.item(node, id: id) }
        } catch {
            throw Refused(description: error.message)
        }
    }

    /// An `Operations/Count` answer.
    public static func count(_ bytes: [UInt8], contentType: String) throws(Refused) -> Int {
        do {
            return try WebServiceAnswer.count(bytes, contentType: contentType, route: "Operations/Count")
        } catch {
            throw Refused(description: error.message)
        }
    }
}
