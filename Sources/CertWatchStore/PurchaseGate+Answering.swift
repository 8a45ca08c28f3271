import CertWatchCore
import Foundation
import SQLKit

/// One batch of purchase checks, answered and logged in one transaction.
struct Answering: Sendable {
    typealias Facts = PurchaseFactsCache.Facts

    let database: Database
    let policy: PurchasePolicy
    let cache: PurchaseFactsCache

    /// An ambiguous name fails only its own question; any database error fails the batch.
    func answer(_ batch: [Asked]) async throws -> [Result<PurchaseCheck, any Error>] {
        try await database.transaction { db in
            if batch.contains(where: { $0.question.lot.importCertificate != nil }) {
                try await PurchaseCheckLog.lockHead(on: db, dialect: database.dialect)
            }
            let revision = try await RegistryRevision.current(on: db)
            cache.sync(to: revision)
            try await readMissing(batch, revision: revision, on: db)
            var entries: [Result<PurchaseCheckLog.Entry, any Error>] = []
            var counted = CountedLots()
            for asked in batch {
                do {
                    entries.append(.success(try await entry(asked, counted: &counted, on: db)))
                } catch let error as PurchaseGate.AmbiguousSupplier {
                    entries.append(.failure(error))
                }
            }
            var logged = try await PurchaseCheckLog.append(
                entries.compactMap { try? $0.get() }, on: db, dialect: database.dialect).makeIterator()
            return entries.map { entry in entry.map { _ in logged.next()! } }
        }
    }

    private func entry(_ asked: Asked, counted: inout CountedLots, on db: any SQLDatabase) async throws -> PurchaseCheckLog.Entry {
        let facts = asked.asksAboutThePast ? try await recorded(asked, on: db) : try await current(asked, on: db)
        let question = asked.question
        let lot = try await lotFacts(asked, counted: counted, on: db)
        let assessment = policy.assess(PurchaseFacts(
            requested: question.supplier.description, supplier: facts?.supplier, product: question.product, date: asked.date,
            verification: facts?.evidence.latest, lastSuccessAt: facts?.evidence.lastSuccessAt, asOf: asked.asOf,
            matcher: facts?.matcher, certificateOnFile: facts?.evidence.certificateOnFile, fraudNotices: facts?.evidence.fraudNotices ?? [],
            lot: lot))
        counted.count(lot, assessment)
        return PurchaseCheckLog.Entry(
            checkedAt: asked.at, askedBy: question.askedBy, requested: question.supplier.description, supplier: facts?.supplier,
            product: question.product, date: asked.date, assessment: assessment, status: facts?.supplier.certificate?.status,
            verificationId: facts?.evidence.latest?.id, verifiedAt: facts?.evidence.lastSuccessAt,
            lot: question.lot.isEmpty ? nil : PurchaseCheck.Lot(importCertificate: question.lot.importCertificate, quantity: question.lot.quantity,
                                                                  unit: question.lot.unit, importLine: assessment.importLine))
    }

    /// The lot's import certificate as recorded by the moment asked, with what earlier checks
    /// (committed, and earlier in this batch) counted against its lines.
    private func lotFacts(_ asked: Asked, counted: CountedLots, on db: any SQLDatabase) async throws -> LotFacts {
        let lot = asked.question.lot
        var facts = LotFacts(importCertificateNumber: lot.importCertificate, quantity: lot.quantity, unit: lot.unit)
        guard let number = lot.importCertificate,
              let recorded = try await ImportCertificateStore.forCheck(number: number, asOf: asked.asOf, on: db) else { return facts }
        facts.importCertificate = recorded.certificate
        facts.used = recorded.used.merging(counted.used(number)) { $0 + $1 }
        return facts
    }

    /// The facts as they stand: kept ones when there are, unless their evidence is newer than the
    /// moment asked (a clock behind the verifier's), which is then read as of that moment.
    private func current(_ asked: Asked, on db: any SQLDatabase) async throws -> Facts? {
        if let kept = kept(asked.question.supplier), (kept.evidence.latest?.at ?? .distantPast) <= asked.asOf {
            return kept
        }
        return try await recorded(asked, on: db)
    }

    private func kept(_ reference: PurchaseGate.SupplierReference) -> Facts? {
        switch reference {
        case .id(let id): cache.facts(id: id)
        case .nopOperationId(let text): NOPOperationID(text).flatMap { cache.facts(nopOperationId: $0.rawValue) }
        case .typed: nil
        }
    }

    /// The facts as recorded up to the moment asked: the certificate rewound through its status
    /// history for a past date, and the verifications up to then.
    private func recorded(_ asked: Asked, on db: any SQLDatabase) async throws -> Facts? {
        guard var supplier = try await resolve(asked.question.supplier, on: db) else { return nil }
        if asked.asksAboutThePast {
            let changes = try await VerificationStore.statusHistory(supplierId: supplier.id, on: db).map {
                RecordedStatusChange(field: $0.field, from: $0.from, to: $0.to, at: $0.at, effectiveDate: $0.effectiveDate)
            }
            supplier.certificate = CertificateTimeline.certificate(supplier.certificate, changes: changes, at: asked.asOf)
        }
        var evidence = try await VerificationStore.evidence(supplierId: supplier.id, asOf: asked.asOf, on: db)
        evidence.certificateOnFile = try await CertificatesOnFile.latest(supplierId: supplier.id, asOf: asked.asOf, on: db)
        evidence.fraudNotices = try await FraudNoticeStore.naming([supplier], asOf: asked.asOf, on: db)[supplier.id] ?? []
        return Facts(supplier: supplier, evidence: evidence)
    }

    private func resolve(_ reference: PurchaseGate.SupplierReference, on db: any SQLDatabase) async throws -> Supplier? {
        let reader = SupplierReader(db: db)
        switch reference {
        case .id(let id):
            return try await reader.supplier(id: id)?.supplier
        case .nopOperationId(let text):
            guard let nop = NOPOperationID(text) else { return nil }
            return try await reader.supplier(nopOperationId: nop)?.supplier
        case .typed(let text):
            let found = try await reader.lookup(text.trimmingWhitespace())
            if found.count > 1 { throw PurchaseGate.AmbiguousSupplier(reference: text, candidates: found.map(\.supplier)) }
            return found.first?.supplier
        }
    }

    /// Reads the suppliers that today's questions name by id or NOP operation ID and the cache
    /// lacks, with their current evidence, certificates on file and fraud notices: a few queries
    /// for the whole batch.
    private func readMissing(_ batch: [Asked], revision: Int, on db: any SQLDatabase) async throws {
        var ids: Set<String> = []
        var nops: Set<String> = []
        for asked in batch where !asked.asksAboutThePast && kept(asked.question.supplier) == nil {
            switch asked.question.supplier {
            case .id(let id): ids.insert(id)
            case .nopOperationId(let text): if let nop = NOPOperationID(text) { nops.insert(nop.rawValue) }
            case .typed: break
            }
        }
        guard !ids.isEmpty || !nops.isEmpty else { return }
        let reader = SupplierReader(db: db)
        for chunk in Array(nops).chunked(SupplierWriter.rowsPerStatement) {
            ids.formUnion(try await reader.ids(nopOperationIds: chunk).values)
        }
        for chunk in Array(ids).chunked(SupplierWriter.rowsPerStatement) {
            let suppliers = try await reader.suppliers(ids: chunk).map(\.supplier)
            let evidence = try await VerificationStore.currentEvidence(supplierIds: suppliers.map(\.id), on: db)
            let papers = try await CertificatesOnFile.latest(supplierIds: suppliers.map(\.id), on: db)
            let notices = try await FraudNoticeStore.naming(suppliers, asOf: nil, on: db)
            cache.insert(suppliers.map { supplier in
                var found = evidence[supplier.id] ?? SupplierEvidence()
                found.certificateOnFile = papers[supplier.id]
                found.fraudNotices = notices[supplier.id] ?? []
                return Facts(supplier: supplier, evidence: found)
            }, readAt: revision)
        }
    }
}

/// The quantities a batch has counted against import-certificate lines so far: its later checks
/// see them before anything is committed.
struct CountedLots {
    private var quantities: [String: [String: Double]] = [:]

    func used(_ number: String) -> [String: Double] { quantities[number] ?? [:] }

    /// Counts a lot that was not blocked, in its line's unit.
    mutating func count(_ lot: LotFacts, _ assessment: PurchaseAssessment) {
        guard assessment.decision != .block, let number = lot.importCertificateNumber, let line = assessment.importLine,
              let quantity = lot.quantity, let recorded = lot.importCertificate?.lines.first(where: { $0.product == line }),
              QuantityUnit.key(lot.unit ?? "") == QuantityUnit.key(recorded.unit) else { return }
        quantities[number, default: [:]][line, default: 0] += quantity
    }
}
