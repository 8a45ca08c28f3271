import CertWatchCore
import CertWatchJobs
import CertWatchStore
import Foundation
import Hummingbird

/// `GET /v1/jobs` (last and next run of each job) and `POST /v1/jobs/{name}/run`.
struct JobRoutes {
    let scheduler: Scheduler
    /// Where a run started by hand runs: the service group owns it, and shutdown waits for it.
    let background: BackgroundWork
    let cadences: [String: JobCadence]
    let runs: JobRunStore
    let outbox: DeliveryStore

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("jobs", use: list)
        group.post("jobs/{name}/run", use: run)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let latest = try await runs.latest()
        let now = Date()
        var items: [JobResponse] = []
        for name in JobName.allCases {
            if let cadence = cadences[name.rawValue] {
                items.append(JobResponse(name: name.rawValue, schedule: cadence.schedule, lastRun: latest[name.rawValue].map(JobRunResponse.init),
                                         lastActivityAt: nil, nextRunAt: cadence.nextSlot(after: now).start))
            } else if name == .delivery || name == .digest {
                let activity = try await outbox.activity(digest: name == .digest)
                items.append(JobResponse(name: name.rawValue, schedule: name == .digest ? "daily at alerts.digestAt per recipient" : "continuous",
                                         lastRun: nil, lastActivityAt: activity.last, nextRunAt: activity.next))
            }
        }
        return try JSONBody.response(PageResponse(items: items, nextCursor: nil))
    }

    /// Starts a run now and answers at once; the run is visible in `GET /v1/jobs` when done.
    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard cadences[name] != nil else {
            throw Problem.notFound("scheduled job \(name) (run one of \(cadences.keys.sorted().joined(separator: ", ")))")
        }
        switch try await scheduler.runNow(name, in: background) {
        case .started(let run):
            return try JSONBody.response(JobRunResponse(run), status: .accepted)
        case .running(let run):
            throw Problem(.conflict, "job-running", title: "Already running",
                          detail: "\(name) is running (slot \(run.slot), started \(Timestamp.format(run.startedAt))); follow it in GET /v1/jobs")
        case .unknownJob:
            throw Problem.notFound("scheduled job \(name)")
        case .shuttingDown:
            throw Problem.shuttingDown("run the job")
        }
    }
}

struct JobResponse: Encodable {
    var name: String
    var schedule: String
    var lastRun: JobRunResponse?
    /// For the delivery worker and the digest, which run continuously: the last attempt.
    var lastActivityAt: Date?
    var nextRunAt: Date?
}

struct JobRunResponse: Encodable {
    var id: String
    var slot: String
    var startedAt: Date
    var finishedAt: Date?
    var outcome: String?
    var attempts: Int
    var summary: JSONFragment?
    var error: String?
    var durationSeconds: Double?

    init(_ run: JobRun) {
        id = run.id
        slot = run.slot
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        outcome = run.outcome?.rawValue ?? "running"
        attempts = run.attempts
        summary = run.summary.map(JSONFragment.init)
        error = run.error
        durationSeconds = run.finishedAt.map { $0.timeIntervalSince(run.startedAt) }
    }
}

/// Stored JSON passed through as it is.
struct JSONFragment: Encodable {
    var text: String

    init(_ text: String) {
        self.text = text
    }

    func encode(to encoder: any Encoder) throws {
        let value = try JSONDecoder().decode([String: [String: Int]].self, from: Data(text.utf8))
        try value.encode(to: encoder)
    }
}
