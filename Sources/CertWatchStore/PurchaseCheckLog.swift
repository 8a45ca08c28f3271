import CertWatchCore
import Foundation
import SQLKit

/// The append-only, hash-chained log of purchase checks.
///
/// Appending must read the chain's head and write after it, so appends are serialised: within a
/// process by this actor, across replicas by a row lock on `audit_heads` (SQLite's `BEGIN
/// IMMEDIATE` does the same). Checks that arrive while a write is in flight are appended together
/// in the next transaction, so concurrent buyers share one commit instead of queueing for one each.
public actor PurchaseCheckLog {
    /// A check ready to append: everything but its place in the chain.
    public struct Entry: Sendable {
        public var checkedAt: Date
        public var askedBy: String
        public var requested: String
        public var supplier: Supplier?
        public var product: String
        public var date: CalendarDate
        public var assessment: PurchaseAssessment
        public var status: CertificationStatus?
        public var verificationId: String?
        public var verifiedAt: Date?
    }

    let database: Database
    private var pending: [(Entry, CheckedContinuation<PurchaseCheck, any Error>)] = []
    private var writing = false

    public init(database: Database) {
        self.database = database
    }

    /// Appends a check and returns it with its id, sequence number and hash once committed.
    public func append(_ entry: Entry) async throws -> PurchaseCheck {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((entry, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                let checks = try await write(batch.map(\.0))
                for ((_, continuation), check) in zip(batch, checks) { continuation.resume(returning: check) }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        writing = false
    }

    private func write(_ entries: [Entry]) async throws -> [PurchaseCheck] {
        let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
        return try await database.transaction { db in
            guard let head = try await db.raw("SELECT seq, hash FROM audit_heads WHERE chain = 'purchase_checks'\(unsafeRaw: lock)").first() else {
                throw CorruptRow(column: "audit_heads.purchase_checks", value: "missing")
            }
            var seq = try head.decode(column: "seq", as: Int.self)
            var previous = try head.decode(column: "hash", as: String.self)
            var checks: [PurchaseCheck] = []
            for entry in entries {
                seq += 1
                var check = PurchaseCheck(
                    id: RecordID.make(), seq: seq, checkedAt: entry.checkedAt, askedBy: entry.askedBy, requested: entry.requested,
                    supplierId: entry.supplier?.id, supplierName: entry.supplier?.name,
                    nopOperationId: entry.supplier?.nopOperationId?.rawValue, product: entry.product, date: entry.date,
                    decision: entry.assessment.decision, reasons: entry.assessment.reasons, matchedItem: entry.assessment.matchedItem,
                    status: entry.status, verificationId: entry.verificationId, verifiedAt: entry.verifiedAt, prevHash: previous, hash: "")
                check.hash = PurchaseCheck.hash(of: check.storedColumns)
                previous = check.hash
                checks.append(check)
            }
            let columns = PurchaseCheck.hashedColumns + ["hash"]
            for chunk in checks.chunked(SupplierWriter.rowsPerStatement / 2) {
                var insert = db.insert(into: "purchase_checks").columns(columns)
                for check in chunk {
                    let stored = check.storedColumns
                    let values: [any SQLExpression] = columns.map { name in
                        switch name {
                        case "seq": SQLBind(check.seq)
                        case "hash": SQLBind(check.hash)
                        default: SQLBind(stored[name] ?? nil)
                        }
                    }
                    insert = insert.values(values)
                }
                try await insert.run()
            }
            try await db.update("audit_heads").set("seq", to: seq).set("hash", to: previous)
                .where("chain", .equal, "purchase_checks").run()
            return checks
        }
    }
}
