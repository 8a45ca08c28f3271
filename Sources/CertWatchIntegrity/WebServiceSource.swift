import AsyncHTTPClient
import CertWatchCore
import Crypto
import Foundation
import NIOCore

/// INTEGRITY's public data web service (JSON): the nightly delta.
///
/// It asks `Operations` for the operations changed since the last good sync (paged, 100 at a
/// time, after `Operations/Count`) and fetches `Items` only for changed operations that are in
/// the registry. The answer is not complete: a registered operation it does not mention is
/// unchanged. Without a previous good sync there is no "since", and the source refuses, so the
/// next source (the bulk download) bootstraps.
///
/// Reads: `integrity.baseUrl`, `integrity.apiKey`, `integrity.requestsPerHour`.
public struct WebServiceSource: IntegritySource {
    public let name = "web-service"
    let http: IntegrityHTTP
    /// The last day INTEGRITY was read completely and accepted; nil before the first bulk sync.
    let since: CalendarDate?
    let pageSize: Int
    /// More changed registered operations than this would need more `Items` requests than an
    /// hour allows; the source refuses so the bulk download (one request) answers instead.
    let maxItemRequests: Int
    let now: @Sendable () -> Date

    public init(
        http: IntegrityHTTP, since: CalendarDate?, pageSize: Int = 100, maxItemRequests: Int = 500,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.http = http
        self.since = since
        self.pageSize = pageSize
        self.maxItemRequests = maxItemRequests
        self.now = now
    }

    public func fetch(_ wanted: Set<NOPOperationID>) async throws -> IntegrityAnswer {
        let url = http.publicURL("/rest/Operations")
        guard let since else {
            throw IntegrityAnswerRejected(source: name, url: url,
                                          reason: "no previous good sync to ask for changes since; bootstrap with the bulk download")
        }
        var transcript = Transcript()
        do {
            // One day of overlap: a change recorded late on the day of the last sync is not missed.
            let fromDate = (CalendarDate(daysSinceEpoch: since.daysSinceEpoch - 1) ?? since).description + "T00:00:00"
            let filter: [String: Any] = ["countries": [String](), "states": [String](), "fromDate": fromDate, "toDate": NSNull()]
            let total = try Self.count(try await post("/rest/Operations/Count", filter, &transcript))
            var changed: [NOPOperationID: [String: String]] = [:]
            var start = 0
            while start < total {
                let page = try Self.records(try await post("/rest/Operations", filter.merging(["startIdx": start, "count": pageSize]) { $1 }, &transcript),
                                            key: "operations", required: IntegrityRecord.requiredOperationFields)
                if page.isEmpty { break }
                for fields in page {
                    if let id = fields["op_nopOpID"].flatMap(NOPOperationID.init), wanted.contains(id) { changed[id] = fields }
                }
                start += page.count
            }
            if changed.count > maxItemRequests {
                throw AnswerProblem(message: "\(changed.count) registered operations changed, more than \(maxItemRequests) Items requests allow; the bulk download is cheaper")
            }
            var operations: [NOPOperationID: Result<IntegrityOperation, IntegrityFormatError>] = [:]
            for (id, fields) in changed.sorted(by: { $0.key < $1.key }) {
                var items: [[String: String]] = []
                while true {
                    let body: [String: Any] = ["startIdx": items.count, "count": pageSize, "operationId": id.rawValue]
                    let page = try Self.records(try await post("/rest/Items", body, &transcript),
                                                key: "items", required: IntegrityRecord.requiredItemFields)
                    items += page
                    if page.count < pageSize { break }
                }
                do {
                    operations[id] = .success(try IntegrityRecord.operation(fields, items: items))
                } catch {
                    operations[id] = .failure(error)
                }
            }
            return IntegrityAnswer(
                source: name, url: url, fetchedAt: now(), digest: transcript.digest, byteCount: transcript.bytes,
                operations: operations, isComplete: false)
        } catch let problem as AnswerProblem {
            throw IntegrityAnswerRejected(source: name, url: url, reason: problem.message, digest: transcript.digest)
        } catch let failure as IntegrityHTTPFailure {
            throw IntegrityAnswerRejected(source: name, url: url, reason: failure.message, digest: transcript.digest)
        }
    }

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

    struct AnswerProblem: Error { var message: String }

    private func post(_ path: String, _ body: [String: Any], _ transcript: inout Transcript) async throws -> Any {
        let json = Array(try JSONSerialization.data(withJSONObject: body))
        let (contentType, bytes) = try await http.send(.POST, path, json: json) { response in
            (response.headers.first(name: "Content-Type") ?? "", Array(buffer: try await response.body.collect(upTo: 64 << 20)))
        }
        transcript.add(bytes)
        if contentType.lowercased().contains("html") || bytes.first == UInt8(ascii: "<") {
            throw AnswerProblem(message: "\(path) answered an HTML page instead of JSON")
        }
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw AnswerProblem(message: "\(path) answered something that is not JSON")
        }
    }

    /// `Operations/Count` answers a bare integer or `{"count": n}`.
    static func count(_ answer: Any) throws -> Int {
        if let number = answer as? Int { return number }
        if let object = answer as? [String: Any], let number = object["count"] as? Int { return number }
        throw AnswerProblem(message: "Operations/Count answered neither a number nor {\"count\": n}")
    }

    /// The records of an `Operations` or `Items` answer, as text fields (null and absent alike
    /// become absent), after checking `success` and the schema of the first record.
    static func records(_ answer: Any, key: String, required: [String]) throws -> [[String: String]] {
        guard let object = answer as? [String: Any] else { throw AnswerProblem(message: "the answer is not a JSON object") }
        if let success = object["success"] as? Bool, !success {
            throw AnswerProblem(message: "INTEGRITY reported an error: \(object["errorMessage"] as? String ?? "no message")")
        }
        guard let list = object[key] as? [[String: Any]] else {
            throw AnswerProblem(message: "the answer has no \"\(key)\" list: the service's format has changed")
        }
        if let first = list.first, let missing = required.first(where: { first[$0] == nil }) {
            throw AnswerProblem(message: "records have no \"\(missing)\": the service's format has changed")
        }
        return list.map { record in
            record.reduce(into: [String: String]()) { fields, pair in
                switch pair.value {
                case let text as String: fields[pair.key] = text
                case let number as NSNumber: fields[pair.key] = number.stringValue
                default: break
                }
            }
        }
    }
}
