import CertWatchCore
import CertWatchStore
import Foundation
import SQLKit

/// Answers "may we buy this product from this supplier on this date?" from the registry and the
/// verification evidence, and appends every answer to the audit log before returning it.
///
/// Checks that arrive together are answered in one transaction (`BatchQueue`): it reads the
/// registry revision, answers today's and future dates for suppliers named by id or NOP operation
/// ID from the snapshots kept under that revision (`SnapshotCache`, reading only those it lacks),
/// and appends every answer to the chain (`PurchaseCheckLog`). A verification committed before a
/// check arrives has moved the revision, so it governs the answer: no check is answered from
/// before it. Past dates and typed names are read as recorded (`SupplierSnapshotReader`).
public final class PurchaseGate: Sendable {
    /// The rules this gate answers by.
    public let policy: PurchasePolicy
    private let database: Database
    private let now: @Sendable () -> Date
    private let cache = SnapshotCache()
    private let batches: BatchQueue<Asked, PurchaseCheck>

    public init(database: Database, policy: PurchasePolicy, now: @escaping @Sendable () -> Date = Date.init) {
        self.policy = policy
        self.database = database
        self.now = now
        batches = BatchQueue { [database, policy, cache] batch in
            try await Self.answer(batch, database: database, policy: policy, cache: cache)
        }
    }

    /// Answers a validated question (`Question.validated`) and logs the answer.
    public func check(_ question: Question) async throws -> PurchaseCheck {
        try await batches.submit(Asked(question: question, at: now()))
    }

    /// One batch, answered and logged in one transaction. An ambiguous name fails only its own
    /// question; any database error fails the batch.
    private static func answer(_ batch: [Asked], database: Database, policy: PurchasePolicy,
                               cache: SnapshotCache) async throws -> [Result<PurchaseCheck, any Error>] {
        try await database.transaction { db in
            if batch.contains(where: { $0.question.lot.importCertificate != nil }) {
                try await PurchaseCheckLog.lockHead(on: db, dialect: database.dialect)
            }
            let reader = SupplierSnapshotReader(db: db)
            try await cache.sync(to: RegistryRevision.current(on: db), adding: batch.filter { !$0.asksAboutThePast }.map(\.question.supplier),
                                 from: reader)
            var entries: [Result<PurchaseCheckLog.Entry, any Error>] = []
            var counted = CountedLots()
            for asked in batch {
                do {
                    let snapshot = try await snapshot(asked, cache: cache, reader: reader)
                    entries.append(.success(try await entry(asked, snapshot, policy: policy, counted: &counted, on: db)))
                } catch let error as AmbiguousSupplier {
                    entries.append(.failure(error))
                }
            }
            // `append` returns one check per entry, in order.
            var logged = try await PurchaseCheckLog.append(entries.compactMap { try? $0.get() }, on: db, dialect: database.dialect)[...]
            return entries.map { entry in entry.map { _ in logged.removeFirst() } }
        }
    }

    /// Today's and later dates: the kept snapshot, unless its evidence is newer than the moment
    /// asked (a clock behind the verifier's). Past dates and typed names: as recorded by then.
    private static func snapshot(_ asked: Asked, cache: SnapshotCache, reader: SupplierSnapshotReader) async throws -> SupplierSnapshot? {
        if !asked.asksAboutThePast, let kept = cache.snapshot(asked.question.supplier),
           (kept.latestVerification?.at ?? .distantPast) <= asked.asOf {
            return kept
        }
        return try await reader.snapshot(asked.question.supplier, asOf: asked.asOf, rewindingCertificate: asked.asksAboutThePast)
    }

    /// The policy's answer to one question from its snapshot and lot, ready to append.
    private static func entry(_ asked: Asked, _ snapshot: SupplierSnapshot?, policy: PurchasePolicy, counted: inout CountedLots,
                              on db: any SQLDatabase) async throws -> PurchaseCheckLog.Entry {
        let question = asked.question
        // The lot's import certificate as recorded by the moment asked, with what earlier checks
        // (committed, and earlier in this batch) counted against its lines.
        var recorded: ImportCertificateStore.Recorded?
        var used: [String: Double] = [:]
        if let number = question.lot.importCertificate {
            recorded = try await ImportCertificateStore.forCheck(number: number, asOf: asked.asOf, on: db)
            used = recorded?.used.merging(counted.used(number)) { $0 + $1 } ?? [:]
        }
        let assessment = policy.assess(PurchaseFacts(
            requested: question.supplier.description, supplier: snapshot?.supplier, product: question.product, date: asked.date,
            verification: snapshot?.latestVerification, lastSuccessAt: snapshot?.lastSuccessAt, asOf: asked.asOf,
            matcher: snapshot?.matcher, certificateOnFile: snapshot?.certificateOnFile, fraudNotices: snapshot?.fraudNotices ?? [],
            lot: question.lot, importCertificateOnRecord: recorded?.certificate, usedByLine: used))
        counted.count(question.lot, recorded: recorded?.certificate, assessment)
        return PurchaseCheckLog.Entry(
            checkedAt: asked.at, askedBy: question.askedBy, requested: question.supplier.description, supplier: snapshot?.supplier,
            product: question.product, date: asked.date, assessment: assessment, status: snapshot?.supplier.certificate?.status,
            verificationId: snapshot?.latestVerification?.id, verifiedAt: snapshot?.lastSuccessAt,
            lot: question.lot.isEmpty ? nil : question.lot)
    }
}

/// A question and the moment it was asked.
struct Asked: Sendable {
    var question: PurchaseGate.Question
    var at: Date

    var today: CalendarDate { CalendarDate(utc: at) }
    var date: CalendarDate { question.date ?? today }
    /// A past date is answered as known at the end of that day; today and later, as known now.
    var asksAboutThePast: Bool { date < today }
    var asOf: Date { asksAboutThePast ? date.adding(days: 1).startOfDayUTC.addingTimeInterval(-0.001) : at }
}
