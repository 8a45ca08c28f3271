import CertWatchCore
import CertWatchIntegrity
import CertWatchStore
import Foundation
import Logging
import Metrics

/// Verifies suppliers against INTEGRITY: asks one source, decides per supplier
/// (`VerificationDecision.decide`, pure), and records every result as evidence.
///
/// An answer rejected as a whole, or a source that cannot be reached, becomes a `failed`
/// verification for every supplier with the reason: their status stays as it was, and the failure
/// is on record for the purchase gate and the alerts.
public enum VerificationJob {
    /// The key under which the size of the last accepted bulk download is kept.
    public static let lastBulkBytesKey = "bulk.lastAcceptedBytes"
    /// The UTC day of the last answer accepted from INTEGRITY: the web service's "changed since".
    public static let lastGoodSyncKey = "integrity.lastGoodSync"
    /// The UTC day of the last complete answer of the whole registry from INTEGRITY itself (the
    /// bulk download): when it is older than `integrity.completeSyncDays`, a complete one is due.
    public static let lastCompleteSyncKey = "integrity.lastCompleteSync"

    /// Runs one verification and returns its run, counts included.
    /// `supplierIds` nil verifies every supplier with a NOP operation ID. `earlier` is the same
    /// run as a replica that died left it (a takeover): its counts go on from there.
    public static func run(
        source: any IntegritySource, database: Database, supplierIds: [String]? = nil,
        runId: String = RecordID.make(), continuing earlier: VerificationRun? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> VerificationRun {
        let store = VerificationStore(database: database)
        let linked = try await SupplierStore(database: database).linkedToIntegrity(ids: supplierIds)
        var run = VerificationRun(id: runId, startedAt: now(), source: source.name)
        if let earlier, earlier.id == runId {
            run = earlier
            run.source = source.name
            run.outcome = .running
            run.finishedAt = nil
        }
        try await store.save(run)

        let answer: IntegrityAnswer
        do {
            // Whole-registry runs may skip what has not changed; a run for chosen suppliers compares in full.
            let known = supplierIds == nil ? try await store.knownRecordDigests() : [:]
            let unvouched = try await store.unvouched(ids: supplierIds)
            answer = try await source.fetch(IntegrityQuestion(wanted: Set(linked.map(\.nopOperationId)), knownDigests: known,
                                                              unvouched: unvouched))
        } catch {
            // Cancelled (shutdown): INTEGRITY did not fail anyone; the run is released or its lease runs out.
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            return try await recordRejection(error, of: source, linked: linked, run: run, database: database, now: now, logger: logger,
                                             progress: progress)
        }

        run.source = answer.source
        run.url = answer.url
        run.digest = answer.digest
        run.byteCount = answer.byteCount
        run.declined = answer.declined
        for declined in answer.declined {
            logger.notice("INTEGRITY source did not answer; the next one did", metadata: [
                "source": "\(declined.source)", "reason": "\(declined.reason)", "answeredBy": "\(answer.source)",
            ])
            Counter(label: "certwatch_integrity_source_declined_total", dimensions: [("source", declined.source), ("answeredBy", answer.source)])
                .increment()
        }
        let evidence = VerificationStore.Evidence(source: answer.source, url: answer.url, digest: answer.digest, at: answer.fetchedAt)
        let unchanged = unchangedResults(linked, answer)
        // Nothing is read back for these, so larger transactions cost no memory.
        for start in stride(from: 0, to: unchanged.count, by: unchangedBatchSize) {
            let batch = Array(unchanged[start..<min(start + unchangedBatchSize, unchanged.count)])
            try await store.record(batch, runId: run.id, evidence: evidence)
            run.verified += batch.count
            progress(start + batch.count, linked.count)
        }
        let rest = linked.filter { answer.unchanged[$0.nopOperationId] == nil }
        try await verifyInBatches(rest, needsLastSuccess: !answer.isComplete, run: &run, database: database, evidence: evidence,
                                  progress: { done, _ in progress(unchanged.count + done, linked.count) }) { stored, previous in
            result(for: stored, lastSuccess: previous, in: answer)
        }
        run.outcome = .completed
        if answer.isComplete, answer.source == "bulk" {
            try await store.setState(lastBulkBytesKey, String(answer.byteCount))
        }
        if answer.isComplete, !answer.directory.isEmpty {
            try await IntegrityDirectoryStore(database: database).replace(with: answer.directory)
        }
        if let day = goodSyncDay(of: answer, wholeRegistry: supplierIds == nil) {
            try await store.setState(lastGoodSyncKey, day.description)
            if answer.isComplete { try await store.setState(lastCompleteSyncKey, day.description) }
        }
        logger.info("verification finished", metadata: [
            "source": "\(source.name)", "verified": "\(run.verified)", "changed": "\(run.changed)",
            "notFound": "\(run.notFound)", "failed": "\(run.failed)",
        ])
        return try await finish(run, database: database, now: now)
    }

    /// Records a whole answer's refusal (or an unreachable source) as a `failed` verification of
    /// every supplier, with the reason; nobody's certificate changes.
    private static func recordRejection(
        _ error: any Error, of source: any IntegritySource, linked: [(id: String, nopOperationId: NOPOperationID)], run: VerificationRun,
        database: Database, now: @escaping @Sendable () -> Date, logger: Logger, progress: @Sendable (Int, Int) -> Void
    ) async throws -> VerificationRun {
        var run = run
        let rejection = error as? IntegrityAnswerRejected
        run.outcome = .rejected
        run.reason = rejection?.reason ?? "\(error)"
        run.url = rejection?.url
        run.digest = rejection?.digest
        logger.error("INTEGRITY answer rejected; no status changed", metadata: ["source": "\(source.name)", "reason": "\(run.reason ?? "")"])
        let evidence = VerificationStore.Evidence(source: source.name, url: run.url, digest: run.digest, at: now())
        let decision = VerificationDecision(outcome: .failed, certificate: nil, changes: [], reason: run.reason)
        try await verifyInBatches(linked, needsLastSuccess: false, run: &run, database: database, evidence: evidence,
                                  progress: progress) { stored, _ in
            VerificationStore.SupplierResult(supplier: stored, decision: decision, foundStatus: nil)
        }
        return try await finish(run, database: database, now: now)
    }

    /// The smallest bulk download to accept: `ratio` of the last accepted one (0 before the first).
    public static func minimumBulkBytes(database: Database, ratio: Double) async throws -> Int {
        let last = try await VerificationStore(database: database).state(lastBulkBytesKey).flatMap(Int.init) ?? 0
        return Int(Double(last) * ratio)
    }

    /// The day of the last accepted answer, for the web service's delta; nil before the first.
    public static func lastGoodSync(database: Database) async throws -> CalendarDate? {
        try await VerificationStore(database: database).state(lastGoodSyncKey).flatMap(CalendarDate.init(iso:))
    }

    /// Whether a complete sync is due: none yet, or the last is `everyDays` or more days before `today`.
    public static func completeSyncDue(database: Database, everyDays: Int, today: CalendarDate) async throws -> Bool {
        guard let last = try await VerificationStore(database: database).state(lastCompleteSyncKey).flatMap(CalendarDate.init(iso:))
        else { return true }
        return today.daysSinceEpoch - last.daysSinceEpoch >= everyDays
    }

    /// Loads, decides and records a batch of suppliers at a time, so memory holds the answer and
    /// one batch of stored records, not the whole registry. `decide` gets the supplier and, when
    /// asked for, its last successful verification.
    private static func verifyInBatches(
        _ linked: [(id: String, nopOperationId: NOPOperationID)], needsLastSuccess: Bool, run: inout VerificationRun,
        database: Database, evidence: VerificationStore.Evidence, progress: @Sendable (Int, Int) -> Void,
        decide: (StoredSupplier, (at: Date, nopOperationId: String?)?) -> VerificationStore.SupplierResult
    ) async throws {
        let store = VerificationStore(database: database)
        let registry = SupplierStore(database: database)
        for start in stride(from: 0, to: linked.count, by: readBatchSize) {
            let ids = linked[start..<min(start + readBatchSize, linked.count)].map(\.id)
            let previous = needsLastSuccess ? try await store.lastSuccess(for: ids) : [:]
            let seen = try await store.seenBefore(ids)
            let suppliers = try await registry.get(ids: ids)
            let results = suppliers.map { stored in
                var result = decide(stored, previous[stored.supplier.id])
                result.firstSighting = !seen.contains(stored.supplier.id)
                return result
            }
            let references = Dictionary(suppliers.map { ($0.supplier.id, AlertData.SupplierRef($0.supplier)) }) { first, _ in first }
            try await store.record(results, runId: run.id, evidence: evidence) { transitions in
                alerts(for: transitions, references)
            }
            for result in results {
                run.count(result.decision)
                if result.firstSighting, result.decision.outcome != .failed { run.firstSightings += 1 }
            }
            progress(start + ids.count, linked.count)
        }
    }

    /// A `supplier.status_changed` alert for each transition that warrants one
    /// (`StatusTransition.warrantsAlert`): a change of the operation's status, or a first
    /// sighting a purchase would be blocked or held for, sent with `from: null`.
    static func alerts(for transitions: [VerificationStore.RecordedTransition],
                       _ suppliers: [String: AlertData.SupplierRef]) -> [AlertStore.NewAlert] {
        transitions.compactMap { record, transition in
            guard transition.warrantsAlert, let supplier = suppliers[record.supplierId] else { return nil }
            return .statusChange(.statusChange(
                supplier: supplier, from: transition.firstSighting ? nil : transition.from, to: transition.to,
                effectiveDate: transition.effectiveDate, verificationId: record.id, firstSighting: transition.firstSighting))
        }
    }

    private static func finish(_ run: VerificationRun, database: Database, now: () -> Date) async throws -> VerificationRun {
        var run = run
        run.finishedAt = now()
        run.sortFailures()
        try await VerificationStore(database: database).save(run)
        if run.failed > 0 {
            let reason = run.reason ?? "\(run.failed) of \(run.verified + run.changed + run.notFound + run.failed) suppliers could not be verified; see the run's records"
            try await AlertStore(database: database).raise(
                [.verificationFailed(.verificationFailed(runId: run.id, source: run.source, reason: reason, failed: run.failed))], at: now())
        }
        return run
    }
}
