import Foundation

/// The jobs operators see in `GET /v1/jobs` and `certwatch jobs`.
public enum JobName: String, CaseIterable, Sendable {
    case verification
    case alertScan = "alert-scan"
    /// Certificate requests: expiry, automatic requests, reminders (CertWatchRequests).
    case certificateRequests = "certificate-requests"
    case delivery
    case digest
    case auditCheckpoint = "audit-checkpoint"
}
