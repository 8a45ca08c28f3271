import AsyncHTTPClient
import CertWatchCore
import Foundation

/// INTEGRITY's public data web service: the nightly delta.
///
/// It asks `Operations` for the operations changed since the last good sync (paged, 100 at a
/// time, after `Operations/Count`) and fetches `Items` only for changed operations that are in
/// the registry. Answers are read as the service sends them — DataContract XML, or WCF JSON
/// when the Content-Type says so — and translated into the bulk download's vocabulary, so an
/// operation reads the same whichever source answered. The answer is not complete: a registered
/// operation it does not mention is unchanged. Without a previous good sync there is no
/// "since", and the source refuses, so the next source (the bulk download) bootstraps.
///
/// Reads: `integrity.webServiceUrl`, `integrity.apiKey`, `integrity.requestsPerHour`,
/// `integrity.maxUnknownStatusShare`.
public struct WebServiceSource: IntegritySource {
    public let name = "web-service"
    let http: IntegrityHTTP
    let endpoints: IntegrityEndpoints
    /// The last day INTEGRITY was read completely and accepted; nil before the first bulk sync.
    let since: CalendarDate?
    let pageSize: Int
    /// More changed registered operations than this would need more `Items` requests than an
    /// hour allows; the source refuses so the bulk download (one request) answers instead.
    let maxItemRequests: Int
    let maxUnknownStatusShare: Double
    let now: @Sendable () -> Date

    /// The `startIdx` of the first row. Public callers send "1"; whether the service counts from
    /// 0 or 1 is not known, so paging never trusts the index alone: it de-duplicates on the NOP
    /// ID (a repeated row at a page boundary is harmless) and refuses an answer whose pages list
    /// fewer operations than `Operations/Count` announced (a skipped row is loud, never silent).
    static let firstIndex = 1

    public init(
        http: IntegrityHTTP, url: String = IntegrityEndpoints.defaultWebServiceURL, since: CalendarDate?, pageSize: Int = 100,
        maxItemRequests: Int = 500, maxUnknownStatusShare: Double = StatusCensus.defaultMaxShare,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.http = http
        self.endpoints = IntegrityEndpoints(webServiceURL: url)
        self.since = since
        self.pageSize = pageSize
        self.maxItemRequests = maxItemRequests
        self.maxUnknownStatusShare = maxUnknownStatusShare
        self.now = now
    }

    public var answersCompletely: Bool { false }

    public func fetch(_ question: IntegrityQuestion) async throws -> IntegrityAnswer {
        let url = endpoints.webService("Operations")
        guard let since else {
            throw IntegrityAnswerRejected(source: name, url: url,
                                          reason: "no previous good sync to ask for changes since; bootstrap with the bulk download")
        }
        var transcript = Transcript()
        do {
            let today = CalendarDate(daysSinceEpoch: Int((now().timeIntervalSince1970 / 86_400).rounded(.down))) ?? since
            // One day of overlap: a change recorded late on the day of the last sync is not missed.
            // toDate is given (tomorrow), as a service with a non-nullable DateTime needs it.
            let filter: [String: Any] = [
                "countries": [String](), "states": [String](),
                "fromDate": IntegrityDate.wcfText(since.adding(days: -1)), "toDate": IntegrityDate.wcfText(today.adding(days: 1)),
            ]
            let total = try await count(filter, &transcript)
            let (census, changed) = try await changedOperations(filter, total: total, wanted: question.wanted, &transcript)
            if let flood = census.flood(maxShare: maxUnknownStatusShare) { throw WebServiceProblem(message: flood) }
            if changed.count > maxItemRequests {
                throw WebServiceProblem(message: "\(changed.count) registered operations changed, more than \(maxItemRequests) Items requests allow; the bulk download is cheaper")
            }
            var operations: [NOPOperationID: Result<IntegrityOperation, IntegrityFormatError>] = [:]
            for (id, fields) in changed.sorted(by: { $0.key < $1.key }) {
                let items = try await items(of: id, &transcript)
                do {
                    operations[id] = .success(try IntegrityRecord.operation(fields, items: items))
                } catch {
                    operations[id] = .failure(error)
                }
            }
            return IntegrityAnswer(
                source: name, url: url, fetchedAt: now(), digest: transcript.digest, byteCount: transcript.bytes,
                operations: operations, isComplete: false, census: census)
        } catch let problem as WebServiceProblem {
            throw IntegrityAnswerRejected(source: name, url: url, reason: problem.message, digest: transcript.digest)
        } catch let failure as IntegrityHTTPFailure {
            throw IntegrityAnswerRejected(source: name, url: url, reason: failure.message, digest: transcript.digest)
        }
    }
}
