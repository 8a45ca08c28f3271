import CertWatchCore
import CertWatchJobs
import CertWatchStore
import Foundation
import Hummingbird

/// `/`: what needs attention today. Every figure links to the list it counts.
struct DashboardPage {
    let context: PageContext
    /// One per process: it keeps the last snapshot while the registry does not change.
    let figures: DashboardFigures

    func register(on group: RouterGroup<WebRequestContext>) {
        group.get("/", use: show)
    }

    struct Content: Sendable {
        struct StatusCount: Sendable {
            var label: String
            var count: Int
            var link: String
            var tone: String
        }
        struct Blocking: Sendable {
            var row: SupplierRow
            /// BLOCK or REVIEW, as the purchase gate judges any purchase today.
            var decision: String
            var tone: String
            /// Every reason, most severe first.
            var why: [String]
        }
        struct Change: Sendable {
            var supplierId: String
            var supplierName: String
            var from: String
            var to: String
            var at: String
        }
        struct Problem: Sendable {
            var supplierId: String
            var supplierName: String
            var last: String
            var what: String
        }
        var total: Int
        var counts: [StatusCount]
        var blocking: [Blocking]
        var blockingTotal: Int
        var hasMoreBlocking: Bool
        var lapsing: [SupplierRow]
        var lapsingLink: String
        var changes: [Change]
        var problems: [Problem]
        var problemsTotal: Int
        var requests: [RequestRow]
        var nightly: Nightly?
    }

    /// A certificate request still open, or answered in the last 30 days.
    struct RequestRow: Sendable {
        var supplierId: String
        var supplierName: String
        var kind: String
        var state: String
        var tone: String
        var age: String
        var emailsSent: Int
        var verdict: String?
    }

    struct Nightly: Sendable {
        var last: String
        var outcome: String
        var summary: String?
        var next: String?
    }

    @Sendable func show(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let today = context.today
        let now = context.now()
        let figures = try await self.figures.snapshot(DashboardFigures.Question(
            today: today, staleBefore: now.addingTimeInterval(-Double(context.settings.maxVerificationAgeDays) * 86_400),
            changesSince: now.addingTimeInterval(-30 * 86_400), lapsingThrough: today.adding(days: 60), limit: 10,
            policy: context.deps.purchaseGate.policy), at: now)
        let content = Content(
            total: figures.statusCounts.reduce(0) { $0 + $1.count },
            counts: figures.statusCounts.map { code, count in
                Content.StatusCount(label: Formatting.statusWords(code), count: count, link: "/suppliers?status=" + (code ?? "none"),
                                    tone: Formatting.tone(ofStatusCode: code))
            },
            blocking: figures.blocking.map {
                Content.Blocking(row: SupplierRow($0.supplier, today: today), decision: $0.assessment.decision.rawValue.uppercased(),
                                 tone: Formatting.tone(of: $0.assessment.decision), why: $0.assessment.reasons.map(\.message))
            },
            blockingTotal: figures.blockingTotal, hasMoreBlocking: figures.blockingTotal > figures.blocking.count,
            lapsing: figures.lapsing.map { SupplierRow($0, today: today) },
            lapsingLink: "/suppliers?lapsingWithin=60&sort=date",
            changes: figures.statusChanges.map {
                Content.Change(supplierId: $0.supplierId, supplierName: $0.supplierName, from: Formatting.statusWords($0.from),
                               to: Formatting.statusWords($0.to), at: $0.at.utcMinuteText)
            },
            problems: figures.verificationProblems.map {
                Content.Problem(supplierId: $0.supplierId, supplierName: $0.supplierName, last: $0.lastAt?.utcMinuteText ?? "never",
                                what: $0.lastAt == nil ? "never verified" : ($0.outcome == "verified" || $0.outcome == "changed")
                                    ? "older than \(context.settings.maxVerificationAgeDays) days" : ($0.reason ?? $0.outcome ?? "failed"))
            },
            problemsTotal: figures.verificationProblemsTotal,
            requests: try await requests(now: now),
            nightly: try await nightly(now: now))
        return context.views.page("dashboard", try page.frame("Dashboard", section: .dashboard), content)
    }

    /// Read apart from the cached figures: requests do not move the registry's revision.
    private func requests(now: Date) async throws -> [RequestRow] {
        let listed = try await context.deps.certificateRequests.store.openAndRecent(answeredSince: now.addingTimeInterval(-30 * 86_400))
        let readings = try await context.stores.documents.readings(documentIds: listed.compactMap(\.request.documentId))
        return listed.map { request, name in
            let days = Int(now.timeIntervalSince(request.createdAt) / 86_400)
            let verdict = request.documentId.flatMap { readings[$0] }.map { DocumentVerdict(kind: request.kind, findings: $0.findings).words }
            return RequestRow(supplierId: request.supplierId, supplierName: name ?? request.supplierId, kind: request.kind.words,
                           state: request.state.rawValue, tone: request.state == .answered ? "good" : "warn",
                           age: days == 0 ? "today" : days == 1 ? "1 day ago" : "\(days) days ago", emailsSent: request.emailsSent,
                           verdict: verdict)
        }
    }

    private func nightly(now: Date) async throws -> Nightly? {
        let name = JobName.verification.rawValue
        let next = context.deps.scheduler.jobs.first { $0.name == name }?.cadence.nextSlot(after: now).start.utcMinuteText
        guard let run = try await context.stores.jobRuns.latest()[name] else {
            return next.map { Nightly(last: "not yet run", outcome: "", summary: nil, next: $0) }
        }
        return Nightly(last: run.startedAt.utcMinuteText, outcome: run.outcome?.rawValue ?? "running", summary: Formatting.jobSummary(run.summary) ?? run.error, next: next)
    }
}
