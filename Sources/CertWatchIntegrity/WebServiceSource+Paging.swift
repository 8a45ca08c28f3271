import AsyncHTTPClient
import CertWatchCore
import Crypto
import Foundation

/// The web service's requests: the count, the pages of changed operations, each operation's items.
extension WebServiceSource {
    /// Every byte received, hashed in order: the evidence digest of a multi-request answer.
    struct Transcript {
        var hasher = SHA256()
        var bytes = 0
        mutating func add(_ data: [UInt8]) {
            hasher.update(data: data)
            bytes += data.count
        }
        var digest: String { hasher.finalize().hexString }
    }

    /// `Operations/Count`, or `OperationsCount` where the first route is not found (both are seen
    /// in public descriptions of the service).
    func count(_ filter: [String: Any], _ transcript: inout Transcript) async throws -> Int {
        do {
            return try await countAt("Operations/Count", filter, &transcript)
        } catch let failure as IntegrityHTTPFailure where failure.status == 404 {
            return try await countAt("OperationsCount", filter, &transcript)
        }
    }

    private func countAt(_ route: String, _ filter: [String: Any], _ transcript: inout Transcript) async throws -> Int {
        let (type, bytes) = try await post(route, filter, &transcript)
        return try WebServiceAnswer.count(bytes, contentType: type, route: route)
    }

    /// Pages through `Operations` until every announced operation is seen. Counts every listed
    /// operation's statuses; keeps the wanted ones' fields.
    func changedOperations(
        _ filter: [String: Any], total: Int, wanted: Set<NOPOperationID>, _ transcript: inout Transcript
    ) async throws -> (StatusCensus, [NOPOperationID: [String: String]]) {
        var census = StatusCensus()
        var seen = Set<String>()
        var changed: [NOPOperationID: [String: String]] = [:]
        var start = Self.firstIndex
        while seen.count < total {
            let body = filter.merging(["startIdx": String(start), "count": String(pageSize)]) { $1 }
            let page = try await records("Operations", body, list: "Operations", entry: "Operation", &transcript)
            var fresh = 0
            for record in page {
                let fields = try WebServiceVocabulary.operation(record)
                let key = fields.field("op_nopOpID") ?? ""
                guard seen.insert(key).inserted else { continue }  // the previous page's last row again
                fresh += 1
                census.count(fields)
                if let id = NOPOperationID(key), wanted.contains(id) { changed[id] = fields }
            }
            start += page.count
            if page.count < pageSize || fresh == 0 { break }
        }
        guard seen.count >= total else {
            throw WebServiceProblem(message: "Operations/Count announced \(total) changed operations but the pages (from startIdx \(Self.firstIndex)) listed \(seen.count): paging does not work as expected, so the answer is incomplete")
        }
        return (census, changed)
    }

    /// One operation's items, page by page; a page that repeats the previous page's last item
    /// does not list it twice.
    func items(of id: NOPOperationID, _ transcript: inout Transcript) async throws -> [[String: String]] {
        var items: [[String: String]] = []
        var previous: [[String: String]] = []
        var start = Self.firstIndex
        while true {
            let body: [String: Any] = ["startIdx": String(start), "count": String(pageSize), "operationId": id.rawValue]
            let page = try await records("Items", body, list: "Items", entry: "Item", &transcript)
                .map { node throws(WebServiceProblem) in try WebServiceVocabulary.item(node, id: id) }
            if !page.isEmpty, page == previous {
                throw WebServiceProblem(message: "Items for \(id) answered the same page for startIdx \(start): paging does not work as expected")
            }
            items += page.first == items.last && !page.isEmpty ? Array(page.dropFirst()) : page
            previous = page
            start += page.count
            if page.count < pageSize { return items }
        }
    }

    private func records(
        _ route: String, _ body: [String: Any], list: String, entry: String, _ transcript: inout Transcript
    ) async throws -> [AnswerNode] {
        let (type, bytes) = try await post(route, body, &transcript)
        let root = try WebServiceAnswer.root(bytes, contentType: type, route: route)
        UnseenElements.note(root, route: route, bytes: bytes, logger: http.logger)
        return try WebServiceAnswer.records(root, list: list, entry: entry, route: route)
    }

    /// POSTs a JSON body (as public callers do) and returns the answer's Content-Type and bytes.
    private func post(_ route: String, _ body: [String: Any], _ transcript: inout Transcript) async throws -> (String, [UInt8]) {
        let json = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        let (contentType, bytes) = try await http.send(.POST, endpoints.webService(route), json: json) { response in
            (response.headers.first(name: "Content-Type") ?? "", Array(buffer: try await response.body.collect(upTo: 64 << 20)))
        }
        transcript.add(bytes)
        return (contentType, bytes)
    }
}
