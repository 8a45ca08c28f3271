import CertWatchCore
import Foundation

/// Answers "may we buy this product from this supplier on this date?" from the registry and the
/// verification evidence, and appends every answer to the audit log before returning it.
public struct PurchaseGate: Sendable {
    /// How the buyer named the supplier.
    public enum SupplierReference: Sendable, Equatable, CustomStringConvertible {
        case id(String)
        case nopOperationId(String)
        /// What a person types: a NOP operation ID, an internal id or an exact name.
        case typed(String)

        public var description: String {
            switch self {
            case .id(let text), .nopOperationId(let text), .typed(let text): text
            }
        }
    }

    public struct Question: Sendable {
        public var supplier: SupplierReference
        public var product: String
        /// The delivery date; today (UTC) when nil.
        public var date: CalendarDate?
        /// Who asks: an API key's name or `cli:USER`.
        public var askedBy: String

        public init(supplier: SupplierReference, product: String, date: CalendarDate? = nil, askedBy: String) {
            self.supplier = supplier
            self.product = product
            self.date = date
            self.askedBy = askedBy
        }
    }

    /// A typed name that matches several suppliers: the buyer must say which.
    public struct AmbiguousSupplier: Error, CustomStringConvertible {
        public var reference: String
        public var candidates: [Supplier]
        public var description: String {
            "“\(reference)” matches \(candidates.count) suppliers (" +
                candidates.map { "\($0.name) \($0.nopOperationId?.rawValue ?? $0.id)" }.joined(separator: ", ") +
                "); give the NOP operation ID or the id"
        }
    }

    let database: Database
    let log: PurchaseCheckLog
    let policy: PurchasePolicy
    let now: @Sendable () -> Date

    public init(database: Database, log: PurchaseCheckLog, policy: PurchasePolicy, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.log = log
        self.policy = policy
        self.now = now
    }

    public func check(_ question: Question) async throws -> PurchaseCheck {
        let checkedAt = now()
        let today = CalendarDate(utc: checkedAt)
        let date = question.date ?? today
        // A past date is answered as known at the end of that day; today and later, as known now.
        let asOf = date < today ? date.adding(days: 1).startOfDayUTC.addingTimeInterval(-0.001) : checkedAt
        var supplier = try await resolve(question.supplier)
        if var known = supplier, date < today {
            let changes = try await VerificationStore(database: database).statusHistory(supplierId: known.id).map {
                RecordedStatusChange(field: $0.field, from: $0.from, to: $0.to, at: $0.at, effectiveDate: $0.effectiveDate)
            }
            known.certificate = CertificateTimeline.certificate(known.certificate, changes: changes, at: asOf)
            supplier = known
        }
        var evidence: (latest: VerificationEvidence?, lastSuccessAt: Date?) = (nil, nil)
        if let supplier {
            evidence = try await VerificationStore(database: database).evidence(supplierId: supplier.id, asOf: asOf)
        }
        let assessment = policy.assess(PurchaseFacts(
            requested: question.supplier.description, supplier: supplier, product: question.product, date: date,
            verification: evidence.latest, lastSuccessAt: evidence.lastSuccessAt, asOf: asOf))
        return try await log.append(PurchaseCheckLog.Entry(
            checkedAt: checkedAt, askedBy: question.askedBy, requested: question.supplier.description, supplier: supplier,
            product: question.product, date: date, assessment: assessment, status: supplier?.certificate?.status,
            verificationId: evidence.latest?.id, verifiedAt: evidence.lastSuccessAt))
    }

    private func resolve(_ reference: SupplierReference) async throws -> Supplier? {
        let store = SupplierStore(database: database)
        switch reference {
        case .id(let id):
            return try await store.get(id: id)?.supplier
        case .nopOperationId(let text):
            guard let nop = NOPOperationID(text) else { return nil }
            return try await store.find(nopOperationId: nop)?.supplier
        case .typed(let text):
            let found = try await store.lookup(text.trimmingWhitespace())
            if found.count > 1 { throw AmbiguousSupplier(reference: text, candidates: found.map(\.supplier)) }
            return found.first?.supplier
        }
    }
}
