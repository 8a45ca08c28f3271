import AsyncHTTPClient
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import Logging

extension Settings {
    /// The INTEGRITY sources `integrity.sources` names, in order, wired to the rate limit and the
    /// state the store keeps (last good sync, last accepted bulk size).
    public func integritySource(database: Database, limiter: RateLimiter, logger: Logger) async throws -> any IntegritySource {
        let http = IntegrityHTTP(baseURL: integrityBaseURL, apiKey: integrityAPIKey, limiter: limiter, logger: logger)
        var sources: [any IntegritySource] = []
        for name in integritySources {
            switch name {
            case "web-service":
                sources.append(WebServiceSource(http: http, since: try await VerificationJob.lastGoodSync(database: database)))
            default:
                sources.append(BulkDownloadSource(
                    http: http, minimumBytes: try await VerificationJob.minimumBulkBytes(database: database, ratio: integrityMinBulkRatio)))
            }
        }
        return sources.count == 1 ? sources[0] : FallbackSource(sources)
    }
}
