import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Testing

/// Every INTEGRITY URL is configuration: a moved service needs no release.
@Suite struct EndpointTests {
    @Test func theBulkDownloadAtTheNewerOIDPublicAPIPathVerifies() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                let source = try await BulkVerificationTests.source(double, database: database, url: double.newerBulkURL)
                let run = try await BulkVerificationTests.run(source, database)
                #expect(run.source == "bulk" && run.outcome == .completed && run.failed == 0)
                #expect(run.verified + run.changed == operations.count)
                #expect(run.url == double.newerBulkURL, "the evidence names the URL asked, without the key")
                let asked = try await double.log().filter { !$0.path.hasPrefix("/_control") }
                #expect(asked.map(\.path) == ["/IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData"])
                #expect(asked.first?.query == ["api_key": "test-key"])
            }
        }
    }

    @Test func theKeyIsAddedToWhateverQueryTheURLHas() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                _ = try await BulkVerificationTests.register(double, in: database)
                let url = double.newerBulkURL + "?format=zip&region=all"
                let run = try await BulkVerificationTests.run(try await BulkVerificationTests.source(double, database: database, url: url), database)
                #expect(run.outcome == .completed && run.url == url)
                let asked = try await double.log().filter { !$0.path.hasPrefix("/_control") }
                #expect(asked.first?.query == ["format": "zip", "region": "all", "api_key": "test-key"])
            }
        }
    }

    @Test func theOlderBaseURLStandsForTheURLsItAlwaysMeant() {
        let endpoints = IntegrityEndpoints(baseURL: "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OidPublicDataService.svc/")
        #expect(endpoints.webServiceURL == IntegrityEndpoints.defaultWebServiceURL)
        #expect(endpoints.bulkURL == "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OidPublicDataService.svc/rest/GetAllOperationsPublicData",
                "the older base keeps the download's older path")
        #expect(IntegrityEndpoints().bulkURL == "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData",
                "by default, the path public loaders used in 2026")
        #expect(endpoints.webService("Operations/Count")
            == "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OidPublicDataService.svc/rest/Operations/Count")
        #expect(IntegrityEndpoints(webServiceURL: "https://proxy.example/integrity/rest?tenant=7").webService("Items")
            == "https://proxy.example/integrity/rest/Items?tenant=7", "routes go before the query the URL has")
    }
}
