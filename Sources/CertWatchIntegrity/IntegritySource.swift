import CertWatchCore
import Foundation

/// One way of asking INTEGRITY about operations: the web service, the bulk download, a monthly
/// workbook, or a file an operator downloaded. The verifier works with any of them.
public protocol IntegritySource: Sendable {
    /// A short name recorded as the evidence's source (`bulk`, `file`, …).
    var name: String { get }

    /// True when this source's answers list every operation INTEGRITY has (bulk download, file,
    /// workbook): only such an answer can verify a supplier nobody has vouched for yet, or show
    /// that an operation disappeared.
    var answersCompletely: Bool { get }

    /// The current INTEGRITY record of each wanted operation. A wanted operation whose record
    /// still hashes to its known digest may be answered as `unchanged`, without its values: a
    /// nightly run then holds and compares only what changed. Sources that cannot tell answer in full.
    ///
    /// Throws `IntegrityAnswerRejected` when the answer as a whole cannot be trusted (an error
    /// page, a corrupt archive, a changed schema, a download far smaller than the last one, a
    /// flood of unknown statuses), or when the source declines to answer: then nobody's status may change.
    func fetch(_ question: IntegrityQuestion) async throws -> IntegrityAnswer
}

extension IntegritySource {
    /// Asks for `wanted` in full, with nothing known about them.
    public func fetch(_ wanted: Set<NOPOperationID>) async throws -> IntegrityAnswer {
        try await fetch(IntegrityQuestion(wanted: wanted))
    }
}

/// What a verification asks a source.
public struct IntegrityQuestion: Sendable {
    /// The operations of the suppliers being verified.
    public var wanted: Set<NOPOperationID>
    /// The record digest each operation had at its supplier's last success (whole-registry runs only).
    public var knownDigests: [NOPOperationID: String]
    /// Wanted operations that no answer has verified since their supplier was added, edited or
    /// relinked: a "changed since" answer says nothing about them, so only a complete source can.
    public var unvouched: Set<NOPOperationID>

    public init(wanted: Set<NOPOperationID>, knownDigests: [NOPOperationID: String] = [:], unvouched: Set<NOPOperationID> = []) {
        self.wanted = wanted
        self.knownDigests = knownDigests
        self.unvouched = unvouched
    }
}

/// What a source answered, with what the audit trail needs to prove it.
public struct IntegrityAnswer: Sendable {
    public var source: String
    public var url: String
    public var fetchedAt: Date
    /// SHA-256 (hex) of the raw bytes received.
    public var digest: String
    public var byteCount: Int
    /// Each wanted operation the answer lists: read, or refused with the reason.
    public var operations: [NOPOperationID: Result<IntegrityOperation, IntegrityFormatError>]
    /// True when the answer lists every operation INTEGRITY has (bulk, workbook): a wanted
    /// operation missing from it is no longer listed. False for a "changed since" answer.
    public var isComplete: Bool
    /// For complete answers, a line for every operation listed (wanted or not), so a person
    /// can find the operation a supplier without a NOP ID is.
    public var directory: [IntegrityDirectoryEntry]
    /// Wanted operations whose record hashed to the digest the request knew, with the status
    /// they list: unchanged since that verification, so their values were not kept.
    public var unchanged: [NOPOperationID: String]
    /// SHA-256 of each wanted operation's record (fields and items) where the source computes
    /// one: remembered with a successful verification for the next run's `knownDigests`.
    public var recordDigests: [NOPOperationID: String]
    /// Every listed operation's statuses counted against the known list (see `StatusCensus`).
    public var census: StatusCensus
    /// The sources asked before this one answered, and why each did not (`FallbackSource`).
    public var declined: [DeclinedSource]

    public init(
        source: String, url: String, fetchedAt: Date, digest: String, byteCount: Int,
        operations: [NOPOperationID: Result<IntegrityOperation, IntegrityFormatError>], isComplete: Bool,
        directory: [IntegrityDirectoryEntry] = [], unchanged: [NOPOperationID: String] = [:],
        recordDigests: [NOPOperationID: String] = [:], census: StatusCensus = StatusCensus(), declined: [DeclinedSource] = []
    ) {
        self.census = census
        self.directory = directory
        self.unchanged = unchanged
        self.recordDigests = recordDigests
        self.source = source
        self.url = url
        self.fetchedAt = fetchedAt
        self.digest = digest
        self.byteCount = byteCount
        self.operations = operations
        self.isComplete = isComplete
        self.declined = declined
    }
}

/// An answer that failed its sanity checks as a whole. Recorded as a failed verification for
/// every supplier it was meant to verify; it changes nobody's status.
public struct IntegrityAnswerRejected: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var url: String
    public var reason: String
    /// The digest of what arrived, when anything did.
    public var digest: String?

    public init(source: String, url: String, reason: String, digest: String? = nil) {
        self.source = source
        self.url = url
        self.reason = reason
        self.digest = digest
    }

    public var description: String { "\(source) answer from \(url) rejected: \(reason)" }
}

