import CertWatchCore
import SQLKit

/// A certified supplier's governing date: what the expiry ladder reads.
public struct LapsingCertificate: Sendable, Equatable {
    public var supplierId: String
    public var governing: GoverningDate
}

extension SupplierStore {
    /// Certified suppliers whose governing date — the valid-to date where there is one, else the
    /// NOP anniversary date — is on or before `day`, soonest first (in index order, no sort). Read from the certificates
    /// alone, two columns a row (an index covers the condition): the daily scan reads the whole
    /// window, and decoding is most of its cost.
    public func lapsing(through day: CalendarDate) async throws -> [LapsingCertificate] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT supplier_id, COALESCE('v' || valid_to, 'a' || anniversary_date) AS governing FROM certificates
                WHERE status_code = 'certified' AND COALESCE(valid_to, anniversary_date) <= \(bind: day.description)
                ORDER BY COALESCE(valid_to, anniversary_date)
                """).all().map { row in
                    let text = try row.decode(column: "governing", as: String.self)
                    guard let date = CalendarDate(iso: String(text.dropFirst())) else {
                        throw CorruptRow(column: "certificates.valid_to/anniversary_date", value: text)
                    }
                    return LapsingCertificate(supplierId: try row.decode(column: "supplier_id", as: String.self),
                                              governing: text.hasPrefix("v") ? .validTo(date) : .anniversary(date))
                }
        }
    }

    /// Name and NOP operation ID of each supplier in `ids`: what an alert says about its supplier.
    public func references(ids: [String]) async throws -> [String: (name: String, nopOperationId: String?)] {
        try await database.withConnection { db in
            var references: [String: (name: String, nopOperationId: String?)] = [:]
            for chunk in ids.chunked(SupplierWriter.rowsPerStatement) {
                for row in try await db.select().columns("id", "name", "nop_operation_id").from("suppliers").where("id", .in, chunk).all() {
                    references[try row.decode(column: "id", as: String.self)] =
                        (try row.decode(column: "name", as: String.self), try row.decode(column: "nop_operation_id", as: String?.self))
                }
            }
            return references
        }
    }
}
