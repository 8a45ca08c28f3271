import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

/// The JSON web service as the nightly delta, with the bulk download as its fallback.
@Suite struct WebServiceTests {
    static let logger = Logger(label: "test")

    static func http(_ double: IntegrityDouble, attempts: Int = 3) -> IntegrityHTTP {
        IntegrityHTTP(baseURL: double.baseURL, apiKey: "test-key", limiter: RateLimiter(requestsPerHour: 1_000),
                      retry: .init(attempts: attempts, baseDelay: .milliseconds(10)), timeout: .seconds(10), logger: logger)
    }

    /// The configured order: the web service first, the bulk download when it cannot answer.
    static func sources(_ double: IntegrityDouble, _ database: Database) async throws -> FallbackSource {
        FallbackSource([
            WebServiceSource(http: http(double), since: try await VerificationJob.lastGoodSync(database: database)),
            BulkDownloadSource(http: http(double), minimumBytes: try await VerificationJob.minimumBulkBytes(database: database, ratio: 0.5)),
        ])
    }

    static func run(_ double: IntegrityDouble, _ database: Database) async throws -> VerificationRun {
        try await VerificationJob.run(source: try await sources(double, database), database: database, logger: logger)
    }

    @Test(arguments: Backend.allCases)
    func bulkBootstrapsThenTheWebServiceCatchesASuspension(_ backend: Backend) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(backend) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                let bootstrap = try await Self.run(double, database)
                #expect(bootstrap.source == "bulk" && bootstrap.outcome == .completed)

                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
                try await double.update(target, ["op_status": "Suspended", "op_lastUpdatedDate": "\(today)T00:00:00"])
                let before = try await double.requestCounts()
                let nightly = try await Self.run(double, database)
                #expect(nightly.source == "web-service" && nightly.outcome == .completed)
                #expect(nightly.changed == 1 && nightly.verified == operations.count - 1)
                #expect(try await BulkVerificationTests.status(target, database) == .suspended)
                let after = try await double.requestCounts()
                let base = "/IntegrityPubDataServices/OidPublicDataService.svc/rest/"
                #expect((after[base + "Operations/Count"] ?? 0) - (before[base + "Operations/Count"] ?? 0) == 1)
                #expect((after[base + "Operations"] ?? 0) - (before[base + "Operations"] ?? 0) == 1)
                #expect((after[base + "Items"] ?? 0) - (before[base + "Items"] ?? 0) == 1, "items only for the changed operation")
                #expect(after[base + "GetAllOperationsPublicData"] == before[base + "GetAllOperationsPublicData"], "no bulk download")
            }
        }
    }

    @Test func aWebServiceErrorFallsBackToTheBulkDownload() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                _ = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                try await double.fault("success_false")  // the bulk download has no success flag and answers
                let run = try await Self.run(double, database)
                #expect(run.source == "bulk" && run.outcome == .completed && run.failed == 0)
            }
        }
    }

    @Test(arguments: [("html", "HTML page"), ("missing_column", "have no \"op_status\"")])
    func aBadAnswerFromBothSourcesChangesNothing(_ fault: String, _ reason: String) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
                try await double.update(target, ["op_status": "Revoked", "op_lastUpdatedDate": "\(today)T00:00:00"])
                try await double.fault(fault)  // every answer, web service and bulk alike, until cleared
                let run = try await Self.run(double, database)
                #expect(run.outcome == .rejected && run.reason?.contains(reason) == true, "\(run.reason ?? "")")
                #expect(run.reason?.contains("web-service:") == true && run.reason?.contains("bulk:") == true)
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

    @Test func aSupplierNeverVerifiedIsNotVouchedForByTheDelta() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                let late = operations.count  // an operation registered after the bulk sync
                _ = try await SupplierStore(database: database).create(Supplier(
                    id: "late", name: "Late supplier", nopOperationId: NOPOperationID(String(4_920_000_000 + late + 100))))
                let run = try await Self.run(double, database)
                #expect(run.source == "web-service" && run.failed == 1)
                let latest = try await VerificationStore(database: database).latest(for: ["late"])["late"]
                #expect(latest?.outcome == .failed && latest?.reason?.contains("not verified from a complete source since it was added or edited") == true)
            }
        }
    }

    @Test func manyChangesGoToTheBulkDownloadInstead() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                _ = try await Self.run(double, database)
                let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
                for op in operations.prefix(3) {
                    try await double.update(op["op_nopOpID"] as! String, ["op_lastUpdatedDate": "\(today)T00:00:00"])
                }
                let source = FallbackSource([
                    WebServiceSource(http: Self.http(double), since: try await VerificationJob.lastGoodSync(database: database), maxItemRequests: 2),
                    BulkDownloadSource(http: Self.http(double), minimumBytes: 0),
                ])
                let run = try await VerificationJob.run(source: source, database: database, logger: Self.logger)
                #expect(run.source == "bulk" && run.outcome == .completed)
            }
        }
    }

    @Test func aRejectedKeyIsOneClearError() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                _ = try await BulkVerificationTests.register(double, in: database)
                try await double.fault("http_403")
                let run = try await VerificationJob.run(
                    source: WebServiceSource(http: Self.http(double), since: CalendarDate(iso: "2026-11-01")), database: database, logger: Self.logger)
                #expect(run.outcome == .rejected && run.reason?.contains("INTEGRITY rejected the API key") == true)
                #expect(try await double.requestCounts()["/IntegrityPubDataServices/OidPublicDataService.svc/rest/Operations/Count"] == 1,
                        "asked once, not retried")
            }
        }
    }
}
