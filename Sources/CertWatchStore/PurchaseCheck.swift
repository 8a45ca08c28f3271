import CertWatchCore
import Crypto
import Foundation

/// One purchase check as the audit log keeps it: what was asked, by whom, the answer with every
/// reason, and the evidence it relied on. Appended, never updated.
public struct PurchaseCheck: Sendable, Equatable {
    public var id: String
    /// Position in the chain, from 1.
    public var seq: Int
    public var checkedAt: Date
    /// The API key's name, or `cli:USER` for the command line.
    public var askedBy: String
    /// The supplier as the buyer named it (id, NOP operation ID or name).
    public var requested: String
    public var supplierId: String?
    public var supplierName: String?
    public var nopOperationId: String?
    public var product: String
    public var date: CalendarDate
    public var decision: PurchaseDecision
    public var reasons: [PurchaseReason]
    public var matchedItem: String?
    /// The certificate status the answer used, as known on `date`.
    public var status: CertificationStatus?
    /// The verification the answer relied on, and when the supplier was last verified successfully.
    public var verificationId: String?
    public var verifiedAt: Date?
    /// The lot, when the check named one: its import certificate and quantity.
    public var lot: Lot?
    /// The import certificate's product line the lot was counted against.
    public var importLine: String?
    public var prevHash: String
    public var hash: String
}

extension PurchaseCheck {
    /// The chain's start: the "previous hash" of the first record.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The stored text of each hashed column: exactly what the database holds, so `audit verify`
    /// recomputes the hash from a row without decoding it.
    var storedColumns: [String: String?] {
        var columns: [String: String?] = [
            "seq": String(seq), "id": id, "checked_at": Timestamp.format(checkedAt), "asked_by": askedBy,
            "requested": requested, "supplier_id": supplierId, "supplier_name": supplierName,
            "nop_operation_id": nopOperationId, "product": product, "for_date": date.description,
            "decision": decision.rawValue, "reasons": Self.reasonsText(reasons), "matched_item": matchedItem,
            "status": status?.code, "status_text": status?.text, "verification_id": verificationId,
            "verified_at": verifiedAt.map(Timestamp.format), "prev_hash": prevHash,
        ]
        let lotValues = [lot?.importCertificate, lot?.quantity.map(ImportCertificate.quantityText), lot?.unit, importLine]
        for (name, value) in zip(Self.lotColumns, lotValues) where value != nil { columns[name] = value }
        return columns
    }

    /// Hashed only when set, so the checks recorded before lots were asked about keep their hashes.
    static let lotColumns = ["import_certificate", "quantity", "unit", "import_line"]

    private static let sortedHashedColumns = hashedColumns.sorted()

    /// Every stored column, named: a `SELECT *` prepared on a pooled SQLite connection whose schema
    /// predates a migration's `ADD COLUMN` expands to the old columns (seen in CI right after
    /// migration step 16), while a named column makes SQLite reload the schema.
    static let storedColumnNames = hashedColumns + lotColumns + ["hash"]

    static let hashedColumns = [
        "seq", "id", "checked_at", "asked_by", "requested", "supplier_id", "supplier_name", "nop_operation_id", "product",
        "for_date", "decision", "reasons", "matched_item", "status", "status_text", "verification_id", "verified_at", "prev_hash",
    ]

    /// SHA-256 over the canonical form: a JSON object of the stored texts with sorted keys, as
    /// `JSONEncoder` with sorted keys writes it, so an inspector can recompute it from a row.
    static func hash(of columns: [String: String?]) -> String {
        var canonical: [UInt8] = [UInt8(ascii: "{")]
        canonical.reserveCapacity(2_048)
        let lot = lotColumns.filter { (columns[$0] ?? nil) != nil }
        let names = lot.isEmpty ? sortedHashedColumns : (hashedColumns + lot).sorted()
        for (index, name) in names.enumerated() {
            if index > 0 { canonical.append(UInt8(ascii: ",")) }
            JSONString.append(name, to: &canonical)
            canonical.append(UInt8(ascii: ":"))
            if let value = columns[name] ?? nil {
                JSONString.append(value, to: &canonical)
            } else {
                canonical.append(contentsOf: "null".utf8)
            }
        }
        canonical.append(UInt8(ascii: "}"))
        return SHA256.hash(data: canonical).hexString
    }


    /// The reasons as `JSONEncoder.sorted` writes them, built directly: every check stores them.
    static func reasonsText(_ reasons: [PurchaseReason]) -> String {
        "[" + reasons.map { reason in
            #"{"code":\#(JSONText.quoted(reason.code.rawValue)),"decision":\#(JSONText.quoted(reason.decision.rawValue)),"#
                + #""message":\#(JSONText.quoted(reason.message))}"#
        }.joined(separator: ",") + "]"
    }
}

extension PurchaseCheck {
    /// The one line a buyer reads first:
    /// `BLOCK  Northfield Grain Co-op — Certification Suspended since 2026-10-02 (INTEGRITY, verified 2026-11-22 02:31 UTC)`.
    public var headline: String {
        let why: String
        if let reason = reasons.first {
            why = String(reason.message.dropLast(reason.message.hasSuffix(".") ? 1 : 0))
            + (reasons.count > 1 ? " (+\(reasons.count - 1) more)" : "")
        } else {
            why = "\(status?.text ?? "Certified"), \(matchedItem ?? product) on the certificate"
        }
        let evidence = verifiedAt.map { "INTEGRITY, verified \($0.utcMinuteText)" } ?? "not verified against INTEGRITY"
        return "\(decision.rawValue.uppercased().padding(toLength: 6, withPad: " ", startingAt: 0)) \(supplierName ?? requested) — \(why) (\(evidence))"
    }
}
