import AsyncHTTPClient
import CertWatchCore
import Foundation

/// INTEGRITY's whole database in one download (`GetAllOperationsPublicData`: a zip holding one
/// XML file), streamed to a temporary file and parsed from there, so memory does not grow with
/// the download.
///
/// Reads: `integrity.bulkUrl` (any path: USDA has served the download at
/// `…/OidPublicDataService.svc/rest/GetAllOperationsPublicData` and at
/// `…/OIDPublicAPI/GetAllOperationsPublicData`), `integrity.minBulkRatio`, `integrity.maxUnknownStatusShare`.
public struct BulkDownloadSource: IntegritySource {
    public let name = "bulk"
    let http: IntegrityHTTP
    let url: String
    /// The smallest download accepted: a fraction of the last accepted one.
    let minimumBytes: Int
    let maxUnknownStatusShare: Double
    let limits: ZipLimits
    let now: @Sendable () -> Date

    public init(http: IntegrityHTTP, url: String = IntegrityEndpoints.defaultBulkURL, minimumBytes: Int,
                maxUnknownStatusShare: Double = StatusCensus.defaultMaxShare, limits: ZipLimits = .standard,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.http = http
        self.url = url
        self.minimumBytes = minimumBytes
        self.maxUnknownStatusShare = maxUnknownStatusShare
        self.limits = limits
        self.now = now
    }

    public var answersCompletely: Bool { true }

    public func fetch(_ question: IntegrityQuestion) async throws -> IntegrityAnswer {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-download-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try await http.send(.GET, url) { response in
                guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                    throw IntegrityHTTPFailure(url: url, message: "cannot write \(file.path)")
                }
                let handle = try FileHandle(forWritingTo: file)
                defer { try? handle.close() }
                for try await buffer in response.body {
                    try handle.write(contentsOf: Data(buffer.readableBytesView))
                }
            }
        } catch let error as IntegrityHTTPFailure {
            throw IntegrityAnswerRejected(source: name, url: url, reason: error.message)
        }
        return try BulkArchive(source: name, url: url, limits: limits)
            .read(file: file, wanted: question.wanted, knownDigests: question.knownDigests, minimumBytes: minimumBytes, fetchedAt: now())
            .refusingFlood(maxShare: maxUnknownStatusShare)
    }
}

/// A bulk export an operator downloaded by hand (zip or XML): `certwatch integrity import FILE`.
public struct BulkFileSource: IntegritySource {
    public let name = "file"
    let file: URL
    let maxUnknownStatusShare: Double
    let limits: ZipLimits
    let now: @Sendable () -> Date

    public init(file: URL, maxUnknownStatusShare: Double = StatusCensus.defaultMaxShare, limits: ZipLimits = .standard,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.file = file
        self.maxUnknownStatusShare = maxUnknownStatusShare
        self.limits = limits
        self.now = now
    }

    public var answersCompletely: Bool { true }

    public func fetch(_ question: IntegrityQuestion) async throws -> IntegrityAnswer {
        try answer(question)
    }

    /// `fetch` without the protocol's `async`: reading a file needs none (the fuzzer calls this).
    public func answer(_ question: IntegrityQuestion) throws -> IntegrityAnswer {
        try BulkArchive(source: name, url: file.absoluteString, limits: limits)
            .read(file: file, wanted: question.wanted, knownDigests: question.knownDigests, minimumBytes: 0, fetchedAt: now())
            .refusingFlood(maxShare: maxUnknownStatusShare)
    }
}

/// INTEGRITY's monthly workbook (`INTEGRITY_Data_YYYYMM01.xlsx` or `INTEGRITY_Export_YYYYMM01.xlsx`),
/// as a file an operator downloaded: good for bootstrapping and for sites without API access,
/// not for nightly checks.
public struct WorkbookFileSource: IntegritySource {
    public let name = "workbook"
    let file: URL
    let maxUnknownStatusShare: Double
    let limits: ZipLimits
    let now: @Sendable () -> Date

    public init(file: URL, maxUnknownStatusShare: Double = StatusCensus.defaultMaxShare, limits: ZipLimits = .standard,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.file = file
        self.maxUnknownStatusShare = maxUnknownStatusShare
        self.limits = limits
        self.now = now
    }

    public var answersCompletely: Bool { true }

    public func fetch(_ question: IntegrityQuestion) async throws -> IntegrityAnswer {
        try answer(question)
    }

    /// `fetch` without the protocol's `async`: reading a file needs none (the fuzzer calls this).
    public func answer(_ question: IntegrityQuestion) throws -> IntegrityAnswer {
        let url = file.absoluteString
        let (digest, byteCount, _) = try FileFingerprint.of(file, source: name, url: url)
        do {
            let result = try WorkbookReader(wanted: question.wanted, limits: limits).read(file)
            return try IntegrityAnswer(
                source: name, url: url, fetchedAt: now(), digest: digest, byteCount: byteCount,
                operations: result.operations, isComplete: true, directory: result.directory, census: result.census)
                .refusingFlood(maxShare: maxUnknownStatusShare)
        } catch let failure as WorkbookReader.Failure {
            throw IntegrityAnswerRejected(source: name, url: url, reason: failure.message, digest: digest)
        } catch let refused as ZipLimits.Refused {
            throw IntegrityAnswerRejected(source: name, url: url, reason: "the workbook is refused: \(refused.description)", digest: digest)
        }
    }
}
