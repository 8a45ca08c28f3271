import CertWatchCore
import Foundation

/// Answers "may we buy this product from this supplier on this date?" from the registry and the
/// verification evidence, and appends every answer to the audit log before returning it.
///
/// Checks that arrive together are answered in one transaction: it reads the registry revision,
/// answers today's and future dates for suppliers named by id or NOP operation ID from the facts
/// kept under that revision (reading only those it lacks), and appends every answer to the chain.
/// A verification committed before a check arrives has moved the revision, so it governs the
/// answer: no check is answered from before it. Past dates and typed names are read from the
/// evidence as recorded.
public final class PurchaseGate: Sendable {
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
        /// The lot: its NOP Import Certificate and quantity, for imports.
        public var lot: Lot

        public init(supplier: SupplierReference, product: String, date: CalendarDate? = nil, askedBy: String, lot: Lot = Lot()) {
            self.supplier = supplier
            self.product = product
            self.date = date
            self.askedBy = askedBy
            self.lot = lot
        }
    }

    /// What a buyer says of the lot: the import certificate's number, the quantity and its unit.
    public struct Lot: Sendable, Equatable {
        public var importCertificate: String?
        public var quantity: Double?
        public var unit: String?

        public init(importCertificate: String? = nil, quantity: Double? = nil, unit: String? = nil) {
            self.importCertificate = importCertificate
            self.quantity = quantity
            self.unit = unit
        }

        var isEmpty: Bool { importCertificate == nil && quantity == nil }
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

    let now: @Sendable () -> Date
    private let batches: BatchQueue<Asked, PurchaseCheck>

    /// The rules this gate answers by.
    public let policy: PurchasePolicy

    public init(database: Database, policy: PurchasePolicy, now: @escaping @Sendable () -> Date = Date.init) {
        self.policy = policy
        self.now = now
        let answering = Answering(database: database, policy: policy, cache: PurchaseFactsCache())
        batches = BatchQueue { try await answering.answer($0) }
    }

    public func check(_ question: Question) async throws -> PurchaseCheck {
        try await batches.submit(Asked(question: question, at: now()))
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
