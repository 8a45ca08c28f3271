import CertWatchCore
import Foundation

/// One supplier's verification as kept for the audit trail: when, from which source and URL,
/// a digest of the raw answer, what INTEGRITY said and what changed.
public struct VerificationRecord: Sendable, Equatable, Codable {
    public var id: String
    public var runId: String
    public var supplierId: String
    public var nopOperationId: String?
    public var at: Date
    public var source: String
    public var url: String?
    /// SHA-256 of the raw answer the verification relied on.
    public var digest: String?
    public var outcome: VerificationOutcome
    public var reason: String?
    /// The operation status INTEGRITY gave, as it gave it.
    public var foundStatus: String?
    public var changes: [CertificateChange]
}

/// A status change a verification saw: the time, the change and the evidence that showed it.
public struct StatusHistoryEntry: Sendable, Equatable, Codable {
    public var supplierId: String
    public var verificationId: String
    public var at: Date
    /// `status` for the operation, `scopes.crops` etc. for a scope.
    public var field: String
    public var from: String?
    public var to: String?
    public var effectiveDate: CalendarDate?
    /// The first answer from INTEGRITY about the supplier under this NOP ID: news, not a change.
    public var firstSighting = false
}

/// A verification of many suppliers from one answer, with its counts.
public struct VerificationRun: Sendable, Equatable, Codable {
    /// `abandoned`: the process working on it stopped and no replica could finish it (a file
    /// import, a *Verify now*); `reason` says so.
    public enum Outcome: String, Sendable, Codable { case running, completed, rejected, abandoned }

    public var id: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var source: String
    public var url: String?
    public var digest: String?
    public var byteCount: Int?
    public var outcome: Outcome
    public var reason: String?
    public var verified = 0
    public var changed = 0
    public var notFound = 0
    public var failed = 0
    /// Suppliers INTEGRITY answered about for the first time under their NOP ID (counted in the
    /// outcomes too): first sightings, not changes.
    public var firstSightings = 0
    /// The sources asked (or passed over) before `source` answered, and why each did not.
    public var declined: [DeclinedSource] = []
    /// The failed verifications grouped by reason, most first: what `verify --all` prints. At
    /// most `maxFailureReasons` reasons are kept apart (a reason may name its operation); the rest
    /// are counted under "other reasons".
    public var failures: [FailureCount] = []
    public static let maxFailureReasons = 20

    /// How many suppliers' verifications failed for one reason.
    public struct FailureCount: Sendable, Equatable, Codable {
        public var reason: String
        public var suppliers: Int
    }

    public init(id: String, startedAt: Date, source: String) {
        self.id = id
        self.startedAt = startedAt
        self.source = source
        self.outcome = .running
    }

    public mutating func count(_ decision: VerificationDecision) {
        switch decision.outcome {
        case .verified: verified += 1
        case .changed: changed += 1
        case .notFound: notFound += 1
        case .failed:
            failed += 1
            var reason = decision.reason ?? "no reason given"
            if failures.count >= Self.maxFailureReasons, !failures.contains(where: { $0.reason == reason }) {
                reason = Self.otherReasons
            }
            if let index = failures.firstIndex(where: { $0.reason == reason }) {
                failures[index].suppliers += 1
            } else {
                failures.append(FailureCount(reason: reason, suppliers: 1))
            }
        }
    }

    static let otherReasons = "other reasons"

    /// Puts the most frequent failure reasons first (ties by reason), once the run is counted.
    public mutating func sortFailures() {
        failures.sort { $0.suppliers != $1.suppliers ? $0.suppliers > $1.suppliers : $0.reason < $1.reason }
    }
}
