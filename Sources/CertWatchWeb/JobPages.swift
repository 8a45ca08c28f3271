import CertWatchCore
import CertWatchJobs
import CertWatchStore
import Foundation
import Hummingbird

/// `/admin/jobs`: each scheduled job's last and next run, and "run now" through the same job
/// runner as the schedule (one run at a time across every replica).
struct JobPages {
    let context: PageContext

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("jobs", use: list)
        admin.post("jobs/{name}/run", use: run)
    }

    struct Content: Sendable {
        struct Row: Sendable {
            var name: String
            var schedule: String
            var last: String
            var outcome: String
            var summary: String?
            /// For a verification: which INTEGRITY source answered, and why any before it did not.
            var sources: String?
            var next: String
        }
        var jobs: [Row]
        var notice: String?
    }

    @Sendable func list(_ request: Request, context page: WebRequestContext) async throws -> Response {
        try await render(page, notice: nil)
    }

    @Sendable func run(_ request: Request, context page: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let name = try page.parameters.require("name")
        let scheduler = context.deps.scheduler
        let notice: String
        var status = HTTPResponse.Status.accepted
        switch try await scheduler.runNow(name, in: context.deps.background) {
        case .started: notice = "Started \(name). Reload this page to see when it has finished."
        case .running(let run):
            notice = "\(name) is already running (started \(run.startedAt.utcMinuteText)); no second run was started."
            status = .conflict
        case .unknownJob: throw PageError.notFound("scheduled job \(name)")
        case .shuttingDown:
            notice = "The server is shutting down; run \(name) again in a moment."
            status = .serviceUnavailable
        }
        return try await render(page, notice: notice, status: status)
    }

    private func render(_ page: WebRequestContext, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let latest = try await context.stores.jobRuns.latest()
        let now = context.now()
        var rows: [Content.Row] = []
        for job in context.deps.scheduler.jobs {
            let run = latest[job.name]
            rows.append(Content.Row(
                name: job.name, schedule: job.cadence.schedule, last: run?.startedAt.utcMinuteText ?? "never",
                outcome: run.map { $0.outcome?.rawValue ?? "running" } ?? "", summary: Formatting.jobSummary(run?.summary) ?? run?.error,
                sources: try await sources(of: job.name == JobName.verification.rawValue ? run : nil),
                next: job.cadence.nextSlot(after: now).start.utcMinuteText))
        }
        return context.views.page("jobs", try page.frame("Jobs", section: .jobs), Content(jobs: rows, notice: notice), status: status)
    }

    /// "Answered by bulk; web-service did not answer: HTTP 404 …", from the verification run that
    /// shares the job run's id.
    private func sources(of run: JobRun?) async throws -> String? {
        guard let run, let verification = try await context.stores.verifications.run(id: run.id),
              verification.outcome != .running else { return nil }
        let declined = verification.declined.map { "\($0.source) did not answer: \($0.reason)" }
        return (["Answered by \(verification.source)"] + declined).joined(separator: "; ")
    }
}
