import CertWatchCore
import Foundation
import SQLKit

/// Re-computes the purchase-check chain from the stored rows: each record's hash over its stored
/// text and the previous record's hash, no gaps, and the head pointing at the last record. An
/// edited, deleted or inserted record breaks it at that record. After a retention purge the chain
/// starts after the last purged check, from the hash the purge recorded.
public struct AuditChain: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Report: Sendable, Equatable, Codable {
        public var checked: Int
        /// The last record's hash: write it down elsewhere (a ticket, an email) to anchor the chain.
        public var headHash: String
        public var firstBroken: Broken?
        /// The last check a retention purge removed: the chain is verified from the one after it.
        public var purgedThrough: Int?
        public var intact: Bool { firstBroken == nil }
    }

    public struct Broken: Sendable, Equatable, Codable {
        public var seq: Int
        public var id: String?
        public var problem: String

        public init(seq: Int, id: String?, problem: String) {
            self.seq = seq
            self.id = id
            self.problem = problem
        }
    }

    public func verify(pageSize: Int = 2_000) async throws -> Report {
        try await database.withConnection { db in
            let purge = try await db.raw("""
                SELECT checks_through_seq, checks_through_hash FROM retention_purges WHERE checks_through_seq IS NOT NULL
                ORDER BY checks_through_seq DESC LIMIT 1
                """).first()
            let purgedThrough = try purge?.decode(column: "checks_through_seq", as: Int.self)
            var expectedSeq = (purgedThrough ?? 0) + 1
            var previous = try purge?.decode(column: "checks_through_hash", as: String.self) ?? PurchaseCheck.genesisHash
            var checked = 0
            while true {
                let rows = try await db.select().columns(PurchaseCheck.storedColumnNames).from("purchase_checks")
                    .where("seq", .greaterThanOrEqual, expectedSeq).orderBy("seq").limit(pageSize).all()
                for row in rows {
                    let seq = try row.decode(column: "seq", as: Int.self)
                    let id = try row.decode(column: "id", as: String?.self)
                    func broken(_ problem: String, at seq: Int) -> Report {
                        Report(checked: checked, headHash: previous, firstBroken: Broken(seq: seq, id: id, problem: problem),
                               purgedThrough: purgedThrough)
                    }
                    if seq != expectedSeq { return broken("record \(expectedSeq) is missing", at: expectedSeq) }
                    var columns: [String: String?] = [:]
                    for name in PurchaseCheck.hashedColumns where name != "seq" {
                        columns[name] = try row.decode(column: name, as: String?.self)
                    }
                    columns["seq"] = String(seq)
                    for name in PurchaseCheck.lotColumns {
                        if let value = try row.decode(column: name, as: String?.self) { columns[name] = value }
                    }
                    if columns["prev_hash"] != previous {
                        return broken("its previous hash does not match record \(seq - 1)", at: seq)
                    }
                    let stored = try row.decode(column: "hash", as: String.self)
                    if PurchaseCheck.hash(of: columns) != stored {
                        return broken("its contents do not match its hash", at: seq)
                    }
                    previous = stored
                    expectedSeq += 1
                    checked += 1
                }
                if rows.count < pageSize { break }
            }
            let head = try await db.raw("SELECT seq, hash FROM audit_heads WHERE chain = 'purchase_checks'").first()
            let headSeq = try head?.decode(column: "seq", as: Int.self) ?? -1
            let headHash = try head?.decode(column: "hash", as: String.self)
            if headSeq != expectedSeq - 1 || headHash != previous {
                return Report(checked: checked, headHash: previous, firstBroken: Broken(
                    seq: expectedSeq, id: nil, problem: "the chain's head says \(headSeq) records, but \(checked) are stored"
                        + (purgedThrough.map { " after the \($0) purged" } ?? "")),
                    purgedThrough: purgedThrough)
            }
            return Report(checked: checked, headHash: previous, firstBroken: nil, purgedThrough: purgedThrough)
        }
    }
}
