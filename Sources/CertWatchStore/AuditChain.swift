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
        /// How many checkpoints sealed with the key the chain was compared with, and the last record
        /// they sealed: records after it are protected only by the database's refusals.
        public var checkpoints = 0
        public var lastSealed: Int?
        public var intact: Bool { firstBroken == nil }

        init(checked: Int, headHash: String, firstBroken: Broken?, purgedThrough: Int?) {
            self.checked = checked
            self.headHash = headHash
            self.firstBroken = firstBroken
            self.purgedThrough = purgedThrough
        }
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

    /// Verifies the records, then compares them with `checkpoints`; every checkpoint must carry
    /// the seal of one of `keys` (the current key and those it replaced). A checkpoint whose record is gone or differs, or a sealed record removed by a
    /// purge no checkpoint seals, breaks the chain: that is a consistent rewrite.
    public func verify(pageSize: Int = 2_000, checkpoints: [AuditCheckpoint], keys: [AuditSealKey]) async throws -> Report {
        var report = try await verify(pageSize: pageSize)
        guard report.intact, !checkpoints.isEmpty else { return report }
        let purge = try await AuditCheckpointStore(database: database).latestPurge()
        let purgedThrough = purge?.seq ?? 0
        let lastSeq = purgedThrough + report.checked
        let hashes = try await recordHashes(Set(checkpoints.map(\.seq).filter { $0 > purgedThrough && $0 <= lastSeq }))
        let purgeSealed = checkpoints.contains { $0.kind == .purge && $0.seq == purgedThrough && $0.hash == purge?.hash }
        func broken(_ seq: Int, _ problem: String) -> Report {
            var broken = report
            broken.firstBroken = Broken(seq: seq, id: nil, problem: problem)
            return broken
        }
        for checkpoint in checkpoints.sorted(by: { $0.seq < $1.seq }) {
            let sealed = "sealed at \(Timestamp.format(checkpoint.sealedAt))"
            guard keys.contains(where: checkpoint.isSealed(by:)) else {
                return broken(checkpoint.seq, "a checkpoint of record \(checkpoint.seq) does not carry this key's seal (audit.checkpointKey)")
            }
            switch checkpoint.kind {
            case .head where checkpoint.seq > lastSeq:
                return broken(lastSeq + 1, "record \(checkpoint.seq) was \(sealed), but the chain ends at record \(lastSeq): records were removed")
            case .head where checkpoint.seq > purgedThrough:
                if hashes[checkpoint.seq] != checkpoint.hash {
                    return broken(checkpoint.seq, "record \(checkpoint.seq) is not the one \(sealed): the chain was rewritten")
                }
            case .head:
                if !purgeSealed {
                    return broken(checkpoint.seq, "record \(checkpoint.seq) was \(sealed), and a purge no checkpoint seals removed it")
                }
            case .purge where checkpoint.seq > purgedThrough:
                return broken(checkpoint.seq, "a purge through record \(checkpoint.seq) was \(sealed), but the database's purges reach only record \(purgedThrough)")
            case .purge where checkpoint.seq == purgedThrough && checkpoint.hash != purge?.hash:
                return broken(checkpoint.seq, "the purge through record \(checkpoint.seq) is not the one \(sealed)")
            case .purge:
                break
            }
            report.checkpoints += 1
            report.lastSealed = max(report.lastSealed ?? 0, checkpoint.seq)
        }
        return report
    }

    /// The stored hash of each record in `seqs`.
    private func recordHashes(_ seqs: Set<Int>) async throws -> [Int: String] {
        try await database.withConnection { db in
            var hashes: [Int: String] = [:]
            for chunk in Array(seqs).chunked(SupplierWriter.rowsPerStatement) {
                for row in try await db.select().columns("seq", "hash").from("purchase_checks").where("seq", .in, chunk).all() {
                    hashes[try row.decode(column: "seq", as: Int.self)] = try row.decode(column: "hash", as: String.self)
                }
            }
            return hashes
        }
    }

    /// Re-computes every record's hash and link, from the last purge to the head.
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
