import CertWatchCore
import SQLKit

/// A certified supplier's certificate dates, without its items: what the expiry ladder reads.
public struct LapsingCertificate: Sendable, Equatable {
    public var supplierId: String
    public var name: String
    public var nopOperationId: String?
    public var certificate: Certificate
}

extension SupplierStore {
    /// Certified suppliers whose governing date — the valid-to date where there is one, else the
    /// NOP anniversary date — is on or before `day`, soonest first.
    public func lapsing(through day: CalendarDate) async throws -> [LapsingCertificate] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT s.id, s.name, s.nop_operation_id, c.scheme, c.anniversary_date, c.valid_to
                FROM suppliers s JOIN certificates c ON c.supplier_id = s.id
                WHERE c.status_code = 'certified' AND COALESCE(c.valid_to, c.anniversary_date) <= \(bind: day.description)
                ORDER BY COALESCE(c.valid_to, c.anniversary_date), s.name, s.id
                """).all().map { row in
                    let scheme = try row.decode(column: "scheme", as: String.self)
                    func date(_ column: String) throws -> CalendarDate? {
                        try row.decode(column: column, as: String?.self).map { text in
                            guard let date = CalendarDate(iso: text) else { throw CorruptRow(column: "certificates.\(column)", value: text) }
                            return date
                        }
                    }
                    return LapsingCertificate(
                        supplierId: try row.decode(column: "id", as: String.self),
                        name: try row.decode(column: "name", as: String.self),
                        nopOperationId: try row.decode(column: "nop_operation_id", as: String?.self),
                        certificate: Certificate(
                            scheme: CertificationScheme(rawValue: scheme) ?? .other, status: .certified,
                            anniversaryDate: try date("anniversary_date"), validTo: try date("valid_to")))
                }
        }
    }
}
