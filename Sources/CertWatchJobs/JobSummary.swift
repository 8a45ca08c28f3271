import CertWatchStore
import Foundation

/// A run's counts, as stored in `job_runs.summary` and shown by `GET /v1/jobs`.
public enum JobSummary {
    public struct Counts: Encodable {
        var values: [String: Int]

        public init(_ run: VerificationRun) {
            values = ["verified": run.verified, "changed": run.changed, "notFound": run.notFound, "failed": run.failed,
                      "firstSightings": run.firstSightings]
        }

        public init(_ scan: AlertScan.Summary) {
            values = ["scanned": scan.scanned, "created": scan.created, "withdrawn": scan.withdrawn]
        }

        public init(sealed checkpoints: [AuditCheckpoint]) {
            values = ["sealed": checkpoints.count]
        }

        /// Counts named by the job that made them (jobs outside this module).
        public init(_ values: [String: Int]) {
            self.values = values
        }

        public func encode(to encoder: any Encoder) throws {
            try values.encode(to: encoder)
        }
    }

    public static func json(_ parts: [String: Counts]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(parts), as: UTF8.self)
    }
}
