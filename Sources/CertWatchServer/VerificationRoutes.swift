import CertWatchCore
import CertWatchJobs
import CertWatchStore
import Foundation
import Hummingbird

/// Verification on demand and its evidence: verify one supplier now, start a run for all,
/// follow a run, read a supplier's verifications and status history, search INTEGRITY's directory.
struct VerificationRoutes {
    let deps: AppDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("suppliers/{id}/verify", use: verifyOne)
        group.get("suppliers/{id}/verifications", use: history)
        group.get("suppliers/{id}/status-history", use: statusHistory)
        group.post("verifications", use: startRun)
        group.get("verifications/{runId}", use: showRun)
        group.get("integrity/search", use: search)
    }

    /// How long "verify now" holds the request open: INTEGRITY's retries can take a minute and
    /// a half, and a buyer's page must not hang on them.
    static let verifyNowWait: Duration = .seconds(5)

    /// Verifies one supplier: 200 with its new verification record when that is done within
    /// `verifyNowWait`, else 202 with the run to follow (the verification goes on as background
    /// work that shutdown waits for).
    @Sendable func verifyOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        let supplier = try await requireSupplier(context)
        guard supplier.supplier.nopOperationId != nil else {
            throw Problem(.unprocessableContent, "no-nop-operation-id", title: "Not linked to INTEGRITY",
                          detail: "the supplier has no NOP operation ID; find it with GET /v1/integrity/search?q=NAME")
        }
        try await deps.stores.activity.append(actor: context.actor, action: "verification.started", subject: supplier.supplier.id,
                                              detail: "POST /v1/suppliers/{id}/verify")
        switch try await deps.verifyNow.verify(supplierId: supplier.supplier.id, wait: Self.verifyNowWait) {
        case .finished(let record):
            return try JSONBody.response(VerificationResponse(record: record))
        case .running(let run):
            var response = try JSONBody.response(RunResponse(run: run), status: .accepted)
            response.headers[.location] = "/v1/verifications/\(run.id)"
            return response
        case .shuttingDown:
            throw Problem.shuttingDown("verify")
        }
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let supplier = try await requireSupplier(context)
        let records = try await deps.stores.verifications.history(supplierId: supplier.supplier.id)
        return try JSONBody.response(PageResponse(items: records.map(VerificationResponse.init), nextCursor: nil))
    }

    @Sendable func statusHistory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let supplier = try await requireSupplier(context)
        let entries = try await deps.stores.verifications.statusHistory(supplierId: supplier.supplier.id)
        return try JSONBody.response(PageResponse(items: entries, nextCursor: nil))
    }

    /// Starts a verification of every linked supplier through the job runner (so one run at a
    /// time across every replica) and answers 202 with the run to follow; 409 with the running
    /// one while another runs.
    @Sendable func startRun(_ request: Request, context: AppRequestContext) async throws -> Response {
        let verifications = deps.stores.verifications
        let started = try await deps.scheduler.runNow(JobName.verification.rawValue, in: deps.background) { jobRun in
            try await verifications.save(VerificationRun(id: jobRun.id, startedAt: jobRun.startedAt, source: "pending"))
        }
        let run: VerificationRun
        switch started {
        case .started(let jobRun):
            run = VerificationRun(id: jobRun.id, startedAt: jobRun.startedAt, source: "pending")
        case .shuttingDown:
            throw Problem.shuttingDown("start the run")
        case .running(let jobRun):
            var response = try Problem(
                .conflict, "verification-running", title: "A verification run is under way",
                detail: "run \(jobRun.id) started \(Timestamp.format(jobRun.startedAt)); follow it at /v1/verifications/\(jobRun.id)"
            ).response(from: request, context: context)
            response.headers[.location] = "/v1/verifications/\(jobRun.id)"
            return response
        case .unknownJob:
            throw Problem(.serviceUnavailable, "no-scheduler", title: "Verification runs are not available", detail: "this process runs no verification job")
        }
        var response = try JSONBody.response(RunResponse(run: run), status: .accepted)
        response.headers[.location] = "/v1/verifications/\(run.id)"
        return response
    }

    @Sendable func showRun(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("runId")
        guard let run = try await deps.stores.verifications.run(id: id) else {
            throw Problem.notFound("verification run \(id)")
        }
        return try JSONBody.response(RunResponse(run: run))
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let query = FormQuery(request).nonEmpty("q"), !query.trimmingWhitespace().isEmpty else {
            throw Problem.validation(ValidationFailure([FieldError(field: "q", message: "is required: words of the operation's name")]))
        }
        let found = try await deps.stores.integrityDirectory.search(query)
        return try JSONBody.response(PageResponse(items: found, nextCursor: nil))
    }

    private func requireSupplier(_ context: AppRequestContext) async throws -> StoredSupplier {
        let id = try context.parameters.require("id")
        guard let supplier = try await deps.stores.suppliers.get(id: id) else {
            throw Problem.notFound("supplier \(id)")
        }
        return supplier
    }
}

/// A verification run as the API shows it (`runId` is the id to follow).
struct RunResponse: Encodable {
    var run: VerificationRun

    enum Keys: String, CodingKey {
        case runId, startedAt, finishedAt, source, url, digest, byteCount, outcome, reason, verified, changed, notFound, failed
        case declined, failures, firstSightings
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(run.id, forKey: .runId)
        try c.encode(run.startedAt, forKey: .startedAt)
        try c.encode(run.finishedAt, forKey: .finishedAt)
        try c.encode(run.source, forKey: .source)
        try c.encode(run.url, forKey: .url)
        try c.encode(run.digest, forKey: .digest)
        try c.encode(run.byteCount, forKey: .byteCount)
        try c.encode(run.outcome.rawValue, forKey: .outcome)
        try c.encode(run.reason, forKey: .reason)
        try c.encode(run.verified, forKey: .verified)
        try c.encode(run.changed, forKey: .changed)
        try c.encode(run.notFound, forKey: .notFound)
        try c.encode(run.failed, forKey: .failed)
        try c.encode(run.declined, forKey: .declined)
        try c.encode(run.failures, forKey: .failures)
        try c.encode(run.firstSightings, forKey: .firstSightings)
    }
}
