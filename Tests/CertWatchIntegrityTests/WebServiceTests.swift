import AsyncHTTPClient
import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import NIOCore
import Testing

// Fixed dates here are a past effective date read back and an ISO fromDate the double must refuse; never compared with today.
/// The web service as the nightly delta, answering DataContract XML as the real one does, with
/// the bulk download as its fallback.
@Suite struct WebServiceTests {
    static let logger = Logger(label: "test")

    /// The configured order: the web service first, the bulk download when it cannot answer.
    static func sources(_ double: IntegrityDouble, _ database: Database, pageSize: Int = 100, maxItemRequests: Int = 500) async throws -> FallbackSource {
        FallbackSource([
            WebServiceSource(http: BulkVerificationTests.http(), url: double.webServiceURL,
                             since: try await VerificationJob.lastGoodSync(database: database), pageSize: pageSize, maxItemRequests: maxItemRequests),
            try await BulkVerificationTests.source(double, database: database),
        ])
    }

    static func run(_ double: IntegrityDouble, _ database: Database, pageSize: Int = 100) async throws -> VerificationRun {
        try await VerificationJob.run(source: try await sources(double, database, pageSize: pageSize), database: database, logger: logger)
    }

    /// The web-service requests the double logged after the first `skip` entries.
    static func webServiceRequests(_ double: IntegrityDouble, after skip: Int) async throws -> [IntegrityDouble.LoggedRequest] {
        try await double.log().dropFirst(skip).filter { !$0.path.hasPrefix("/_control") }
    }

    static func route(_ double: IntegrityDouble, _ request: IntegrityDouble.LoggedRequest) -> String {
        request.path.hasPrefix(URL(string: double.webServiceURL)!.path + "/")
            ? String(request.path.dropFirst(URL(string: double.webServiceURL)!.path.count + 1)) : request.path
    }

    @Test(arguments: Backend.allCases)
    func bulkBootstrapsThenTheNextNightAsksOnlyTheWebService(_ backend: Backend) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(backend) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                let bootstrap = try await Self.run(double, database)
                #expect(bootstrap.source == "bulk" && bootstrap.outcome == .completed)

                // A certifier suspends an operation; INTEGRITY moves its LastUpdateDate (the double does too).
                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                try await double.update(target, ["op_status": "Suspended"])
                let since = try #require(try await VerificationJob.lastGoodSync(database: database))
                let skip = try await double.log().count
                let nightly = try await Self.run(double, database)
                #expect(nightly.source == "web-service" && nightly.outcome == .completed)
                #expect(nightly.changed == 1 && nightly.verified == operations.count - 1)
                #expect(try await BulkVerificationTests.status(target, database) == .suspended)

                let asked = try await Self.webServiceRequests(double, after: skip)
                #expect(asked.map { Self.route(double, $0) } == ["Operations/Count", "Operations", "Items"], "only the web service, no bulk download")
                #expect(asked.allSatisfy { $0.method == "POST" && $0.status == 200 && $0.query["api_key"] == "test-key" })
                let filter = try #require(asked.first?.body)
                #expect(filter["fromDate"] == IntegrityDate.wcfText(since.adding(days: -1)), "a WCF date: an ISO one gets a 400")
                #expect(filter["toDate"]?.hasPrefix("/Date(") == true)
                #expect(asked[1].body["startIdx"] == "1" && asked[1].body["count"] == "100", "paging as public callers do")
                #expect(asked[2].body["operationId"] == target, "items only for the changed registered operation")
                let latest = try await VerificationStore(database: database).history(supplierId: try #require(
                    try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(target)!)).supplier.id).first
                #expect(latest?.source == "web-service" && latest?.url == double.webServiceURL + "/Operations" && latest?.foundStatus == "Suspended")
            }
        }
    }

    @Test func wcfJSONAnswersAreReadToo() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                try await double.format("json")
                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                try await double.update(target, ["op_status": "Revoked", "op_statusEffectiveDate": "2026-11-20T00:00:00"])
                let run = try await Self.run(double, database)
                #expect(run.source == "web-service" && run.outcome == .completed && run.changed == 1)
                let supplier = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(target)!))
                #expect(supplier.supplier.certificate?.status == .revoked)
                #expect(supplier.supplier.certificate?.statusEffectiveDate?.description == "2026-11-20", "read from /Date(ms-0500)/")
            }
        }
    }

    @Test func theDoubleRefusesAnISODateAsAWCFServiceDoes() async throws {
        try await IntegrityDouble.with { double in
            var request = HTTPClientRequest(url: double.webServiceURL + "/Operations")
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: #"{"fromDate":"2026-11-30T00:00:00","startIdx":"1","count":"100"}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let page = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(response.status.code == 400 && page.contains("<title>Request Error</title>"))
        }
    }

    @Test func aRequestErrorPageIsNamedForWhatItIs() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                _ = try await BulkVerificationTests.register(double, in: database)
                try await double.fault("request_error")
                let run = try await VerificationJob.run(
                    source: WebServiceSource(http: BulkVerificationTests.http(), url: double.webServiceURL, since: CalendarDate(daysSinceEpoch: 20_000)),
                    database: database, logger: Self.logger)
                #expect(run.outcome == .rejected)
                #expect(run.reason?.contains("HTTP 400: an HTML page “Request Error”: The server encountered an error processing the request.") == true,
                        "\(run.reason ?? "")")
            }
        }
    }

    @Test func theCountFallsBackToOperationsCount() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                try await double.update(operations[3]["op_nopOpID"] as! String, ["op_status": "Suspended"])
                try await double.fault("count_route_404")
                let skip = try await double.log().count
                let run = try await Self.run(double, database)
                #expect(run.source == "web-service" && run.outcome == .completed && run.changed == 1)
                let asked = try await Self.webServiceRequests(double, after: skip)
                #expect(asked.prefix(2).map { "\(Self.route(double, $0)) \($0.status ?? 0)" } == ["Operations/Count 404", "OperationsCount 200"])
            }
        }
    }

    @Test func aRowRepeatedAtAPageBoundaryIsListedOnce() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                let changed = operations.prefix(12).map { $0["op_nopOpID"] as! String }
                for nop in changed { try await double.update(nop, ["op_clientID": "moved"]) }
                try await double.update(changed[7], ["op_status": "Revoked"])
                try await double.fault("repeat_row")
                let skip = try await double.log().count
                let run = try await Self.run(double, database, pageSize: 5)
                #expect(run.source == "web-service" && run.outcome == .completed, "\(run.reason ?? "")")
                #expect(run.changed == 1 && run.verified == operations.count - 1)
                #expect(try await BulkVerificationTests.status(changed[7], database) == .revoked)
                let pages = try await Self.webServiceRequests(double, after: skip).filter { Self.route(double, $0) == "Operations" }
                #expect(pages.map { $0.body["startIdx"] ?? "" } == ["1", "6", "11"], "each page's own rows counted, the repeated one once")
            }
        }
    }

    @Test func anAnswerReportingItsOwnErrorFallsBackToTheBulkDownload() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                try await double.update(operations[0]["op_nopOpID"] as! String, ["op_clientID": "moved"])
                try await double.fault("success_false")  // the bulk download has no success flag and answers
                let run = try await Self.run(double, database)
                #expect(run.source == "bulk" && run.outcome == .completed && run.failed == 0)
                let alone = WebServiceSource(http: BulkVerificationTests.http(), url: double.webServiceURL,
                                                       since: try await VerificationJob.lastGoodSync(database: database))
                await #expect { try await alone.fetch([]) } throws: { error in
                    (error as? IntegrityAnswerRejected)?.reason == "INTEGRITY reported an error: Internal error"
                }
            }
        }
    }

    @Test(arguments: [
        ("html", ["web-service: Operations/Count answered an HTML page, not INTEGRITY's XML or JSON: “Service Unavailable”", "bulk: an HTML page"]),
        ("missing_column", ["an <Operation> has no <NOPOperationStatus>", "the first <Operation> has no <op_status>"]),
    ])
    func aBadAnswerFromBothSourcesChangesNothing(_ fault: String, _ reasons: [String]) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                try await double.update(target, ["op_status": "Revoked"])
                try await double.fault(fault)  // every answer, web service and bulk alike, until cleared
                let run = try await Self.run(double, database)
                #expect(run.outcome == .rejected, "\(run.reason ?? "")")
                for reason in reasons { #expect(run.reason?.contains(reason) == true, "\(run.reason ?? "")") }
                #expect(try await BulkVerificationTests.status(target, database) == .certified)
            }
        }
    }

    @Test func tooManyRequestsIsRetriedAfterRetryAfter() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                _ = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                try await double.fault("http_429", times: 1)
                let started = ContinuousClock.now
                let run = try await Self.run(double, database)
                #expect(run.source == "web-service" && run.outcome == .completed)
                #expect(started.duration(to: .now) >= .seconds(1), "waited for Retry-After: 1")
            }
        }
    }

    /// Issue 20: a supplier added after the first sync is not left `failed` for being new. The
    /// delta cannot vouch for it, so the complete source answers that run, and the run says the
    /// web service was passed over and why.
    @Test func aSupplierAddedAfterTheFirstSyncIsAnsweredByTheBulkDownloadInTheSameRun() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                #expect(try await Self.run(double, database).source == "web-service", "with everyone vouched for, the delta answers")
                let unlisted = NOPOperationID(String(4_920_000_000 + operations.count + 100))
                _ = try await SupplierStore(database: database).create(Supplier(id: "late", name: "Late supplier", nopOperationId: unlisted))
                let run = try await Self.run(double, database)
                #expect(run.source == "bulk" && run.failed == 0 && run.notFound == 1, "\(run)")
                #expect(run.declined.first?.source == "web-service")
                #expect(run.declined.first?.reason.contains("1 supplier(s) not yet verified") == true, "\(run.declined)")
                let latest = try await VerificationStore(database: database).latest(for: ["late"])["late"]
                #expect(latest?.outcome == .notFound && latest?.source == "bulk")
                let next = try await Self.run(double, database)
                #expect(next.source == "bulk" && next.notFound == 1,
                        "a supplier INTEGRITY does not list is vouched for by no answer: only a complete one can keep saying so")
            }
        }
    }

    /// When the complete source fails, the delta still answers for those it can vouch for; the
    /// new supplier fails with a reason that says why, and the run lists the bulk download's failure.
    @Test func withTheBulkDownloadDownTheDeltaAnswersAndTheNewSupplierFailsSayingWhy() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                let unlisted = NOPOperationID(String(4_920_000_000 + operations.count + 100))
                _ = try await SupplierStore(database: database).create(Supplier(id: "late", name: "Late supplier", nopOperationId: unlisted))
                try await double.fault("http_500", times: 3)  // every attempt of the bulk download
                let run = try await Self.run(double, database)
                #expect(run.source == "web-service" && run.failed == 1 && run.verified == operations.count, "\(run)")
                #expect(run.declined.map(\.source) == ["bulk"] && run.declined.first?.reason.contains("500") == true, "\(run.declined)")
                #expect(run.failures.count == 1 && run.failures.first?.suppliers == 1)
                let latest = try await VerificationStore(database: database).latest(for: ["late"])["late"]
                #expect(latest?.outcome == .failed && latest?.reason?.contains("only a complete answer (the bulk download) can verify it") == true)
            }
        }
    }

    @Test func manyChangesGoToTheBulkDownloadInstead() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                for op in operations.prefix(3) {
                    try await double.update(op["op_nopOpID"] as! String, ["op_clientID": "moved"])
                }
                let run = try await VerificationJob.run(
                    source: try await Self.sources(double, database, maxItemRequests: 2), database: database, logger: Self.logger)
                #expect(run.source == "bulk" && run.outcome == .completed)
            }
        }
    }

    @Test func aRejectedKeyIsOneClearError() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                _ = try await BulkVerificationTests.register(double, in: database)
                try await double.fault("http_403")
                let since = CalendarDate(daysSinceEpoch: Int(Date().timeIntervalSince1970 / 86_400))!.adding(days: -1)
                let run = try await VerificationJob.run(
                    source: WebServiceSource(http: BulkVerificationTests.http(), url: double.webServiceURL, since: since),
                    database: database, logger: Self.logger)
                #expect(run.outcome == .rejected && run.reason?.contains("INTEGRITY rejected the API key") == true)
                #expect(try await double.requestCounts()["/IntegrityPubDataServices/OidPublicDataService.svc/rest/Operations/Count"] == 1,
                        "asked once, not retried")
            }
        }
    }
}
