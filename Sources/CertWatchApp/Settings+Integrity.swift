import CertWatchCore
import AsyncHTTPClient
import Foundation
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import Logging

extension Settings {
    /// The INTEGRITY sources `integrity.sources` names, in order, at the configured URLs, wired to
    /// the rate limit and the state the store keeps (last good sync, last accepted bulk size, last
    /// complete sync). `FallbackSource` decides which one answers a run.
    public func integritySource(database: Database, limiter: RateLimiter, logger: Logger, now: Date = Date()) async throws -> any IntegritySource {
        let http = IntegrityHTTP(apiKey: integrityAPIKey, limiter: limiter, logger: logger)
        var sources: [any IntegritySource] = []
        for name in integritySources {
            switch name {
            case .webService:
                sources.append(WebServiceSource(
                    http: http, url: integrityWebServiceURL, since: try await VerificationJob.lastGoodSync(database: database),
                    maxUnknownStatusShare: integrityMaxUnknownStatusShare))
            case .bulk:
                sources.append(BulkDownloadSource(
                    http: http, url: integrityBulkURL,
                    minimumBytes: try await VerificationJob.minimumBulkBytes(database: database, ratio: integrityMinBulkRatio),
                    maxUnknownStatusShare: integrityMaxUnknownStatusShare, limits: importLimits))
            }
        }
        if sources.count == 1, let only = sources.first { return only }
        let due = try await VerificationJob.completeSyncDue(database: database, everyDays: integrityCompleteSyncDays, today: CalendarDate(utc: now))
        return FallbackSource(sources, completeSyncDue: due)
    }

    /// The source for a file an operator downloaded: a workbook (`.xlsx`) or a bulk export (zip or XML).
    public func integrityFileSource(_ file: URL) -> any IntegritySource {
        file.pathExtension.lowercased() == "xlsx"
            ? WorkbookFileSource(file: file, maxUnknownStatusShare: integrityMaxUnknownStatusShare, limits: importLimits)
            : BulkFileSource(file: file, maxUnknownStatusShare: integrityMaxUnknownStatusShare, limits: importLimits)
    }
}
