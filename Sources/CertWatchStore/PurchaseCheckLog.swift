import CertWatchCore
import Foundation
import SQLKit

/// The append-only, hash-chained log of purchase checks.
///
/// Appending reads the chain's head and writes after it, so appends are serialised: within a
/// process by the purchase gate's batches, across replicas by a row lock on `audit_heads`
/// (SQLite's `BEGIN IMMEDIATE` does the same). A batch of concurrent checks shares one commit.
///
/// The chain's format (which columns are hashed, and how) lives here in the store beside
/// `AuditChain`, which verifies it; the purchase gate decides what to append and when.
public enum PurchaseCheckLog {
    /// A check ready to append: everything but its place in the chain.
    public struct Entry: Sendable {
        var checkedAt: Date
        var askedBy: String
        var requested: String
        var supplier: Supplier?
        var product: String
        var date: CalendarDate
        var assessment: PurchaseAssessment
        var status: CertificationStatus?
        var verificationId: String?
        var verifiedAt: Date?
        var lot: Lot?

        public init(checkedAt: Date, askedBy: String, requested: String, supplier: Supplier?, product: String, date: CalendarDate,
                    assessment: PurchaseAssessment, status: CertificationStatus?, verificationId: String?, verifiedAt: Date?, lot: Lot?) {
            self.checkedAt = checkedAt
            self.askedBy = askedBy
            self.requested = requested
            self.supplier = supplier
            self.product = product
            self.date = date
            self.assessment = assessment
            self.status = status
            self.verificationId = verificationId
            self.verifiedAt = verifiedAt
            self.lot = lot
        }
    }

    /// Takes the chain's head lock now rather than at the append, for a batch whose answers read
    /// what earlier checks counted (an import certificate's quantities): no other replica can
    /// count the same quantity before this batch is appended.
    public static func lockHead(on db: any SQLDatabase, dialect: Database.Dialect) async throws {
        guard dialect == .postgres else { return }  // SQLite's write transaction already excludes others
        _ = try await db.raw("SELECT seq FROM audit_heads WHERE chain = 'purchase_checks' FOR UPDATE").first()
    }

    /// Appends the entries in order, inside the caller's transaction, and returns them as chained.
    public static func append(_ entries: [Entry], on db: any SQLDatabase, dialect: Database.Dialect) async throws -> [PurchaseCheck] {
        guard !entries.isEmpty else { return [] }
        let lock = dialect == .postgres ? " FOR UPDATE" : ""
        guard let head = try await db.raw("SELECT seq, hash FROM audit_heads WHERE chain = 'purchase_checks'\(unsafeRaw: lock)").first() else {
            throw CorruptRow(column: "audit_heads.purchase_checks", value: "missing")
        }
        var seq = try head.decode(column: "seq", as: Int.self)
        var previous = try head.decode(column: "hash", as: String.self)
        var checks: [(check: PurchaseCheck, stored: [String: String?])] = []
        for entry in entries {
            seq += 1
            var check = PurchaseCheck(
                id: RecordID.make(), seq: seq, checkedAt: entry.checkedAt, askedBy: entry.askedBy, requested: entry.requested,
                supplierId: entry.supplier?.id, supplierName: entry.supplier?.name,
                nopOperationId: entry.supplier?.nopOperationId?.rawValue, product: entry.product, date: entry.date,
                decision: entry.assessment.decision, reasons: entry.assessment.reasons, matchedItem: entry.assessment.matchedItem,
                status: entry.status, verificationId: entry.verificationId, verifiedAt: entry.verifiedAt, lot: entry.lot,
                importLine: entry.lot == nil ? nil : entry.assessment.importLine,
                prevHash: previous, hash: "")
            let stored = check.storedColumns
            check.hash = PurchaseCheck.hash(of: stored)
            previous = check.hash
            checks.append((check, stored))
        }
        let columns = PurchaseCheck.storedColumnNames
        var rows = JSONRows()
        for (check, stored) in checks { rows.append(columns.map { $0 == "hash" ? check.hash : stored[$0] ?? nil }) }
        let values = columns.indices.map { index in columns[index] == "seq" ? "CAST(t.value ->> \(index) AS BIGINT)" : "t.value ->> \(index)" }
        try await db.raw("""
            INSERT INTO purchase_checks (\(unsafeRaw: columns.joined(separator: ", ")))
            SELECT \(unsafeRaw: values.joined(separator: ", ")) FROM \(rows.source(dialect))
            """).run()
        try await db.update("audit_heads").set("seq", to: seq).set("hash", to: previous)
            .where("chain", .equal, "purchase_checks").run()
        return checks.map(\.check)
    }
}
