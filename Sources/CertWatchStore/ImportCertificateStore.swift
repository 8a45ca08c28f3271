import CertWatchCore
import Foundation
import SQLKit

/// NOP Import Certificates as recorded, and what purchase checks have counted against them.
public struct ImportCertificateStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// A certificate with that number is already on record.
    public struct Duplicate: Error, CustomStringConvertible {
        public var number: String
        public var description: String { "import certificate \(number) is already recorded" }
    }

    /// An import certificate with who recorded it, when, and how much of each line checks have used.
    public struct Recorded: Sendable, Equatable {
        public var certificate: ImportCertificate
        public var recordedAt: Date
        public var recordedBy: String
        /// By line product: the quantity allowed or reviewed checks counted against it, in its unit.
        public var used: [String: Double]
    }

    public func add(_ certificate: ImportCertificate, recordedBy: String) async throws -> Recorded {
        let at = now()
        try await database.transaction { db in
            if try await db.raw("SELECT id FROM import_certificates WHERE \(Self.matching(certificate.number))").first() != nil {
                throw Duplicate(number: certificate.number)
            }
            try await db.insert(into: "import_certificates")
                .columns("id", "number", "exporter_id", "importer", "kind", "shipment_date", "valid_from", "valid_to", "port_of_entry",
                         "certifier", "document_id", "lines", "recorded_at", "recorded_by",
                         "origin", "destination", "hts_code", "total_weight_kg", "lot_numbers")
                .values(certificate.id, certificate.number, certificate.exporterId, certificate.importer, certificate.kind.rawValue,
                        certificate.shipmentDate?.description, certificate.validFrom?.description, certificate.validTo?.description,
                        certificate.portOfEntry, certificate.certifier, certificate.documentId, try JSONText.encode(certificate.lines),
                        Timestamp.format(at), recordedBy, certificate.origin, certificate.destination, certificate.htsCode,
                        certificate.totalWeightKg.map { "\($0)" }, certificate.lotNumbers.isEmpty ? nil : try JSONText.encode(certificate.lotNumbers))
                .run()
        }
        return Recorded(certificate: certificate, recordedAt: at, recordedBy: recordedBy, used: [:])
    }

    /// Newest first; one exporter's when `exporterId` is given.
    public func list(exporterId: String? = nil, limit: Int = 500) async throws -> [Recorded] {
        try await database.withConnection { db in
            let filter: SQLQueryString = exporterId.map { "WHERE exporter_id = \(bind: $0)" } ?? ""
            let rows = try await db.raw("SELECT \(unsafeRaw: Self.columnList) FROM import_certificates \(filter) ORDER BY recorded_at DESC, id DESC LIMIT \(bind: limit)").all()
            return try await Self.recorded(rows, on: db)
        }
    }

    /// Every certificate recorded for these exporters, without their use: what decides whether one
    /// covers a day.
    static func certificates(exporterIds: [String], on db: any SQLDatabase) async throws -> [ImportCertificate] {
        guard !exporterIds.isEmpty else { return [] }
        return try await db.raw("""
            SELECT \(unsafeRaw: Self.columnList) FROM import_certificates WHERE exporter_id IN \(SQLBind.group(exporterIds))
            """).all().map(Self.certificate)
    }

    public func get(number: String) async throws -> Recorded? {
        try await database.withConnection { db in
            let rows = try await db.raw("SELECT \(unsafeRaw: Self.columnList) FROM import_certificates WHERE \(Self.matching(number))").all()
            return try await Self.recorded(rows, on: db).first
        }
    }

    /// The certificate with this number as recorded by `moment`, and its use so far, inside a
    /// check's transaction.
    public static func forCheck(number: String, asOf moment: Date, on db: any SQLDatabase) async throws -> Recorded? {
        let rows = try await db.raw("""
            SELECT \(unsafeRaw: columnList) FROM import_certificates WHERE \(matching(number))
            AND recorded_at <= \(bind: Timestamp.format(moment))
            """).all()
        return try await recorded(rows, on: db).first
    }

    /// The columns read, named (migration step 21 added some: `SELECT *` would depend on the order).
    static let columns = ["id", "number", "exporter_id", "importer", "kind", "shipment_date", "valid_from", "valid_to", "port_of_entry",
                          "certifier", "document_id", "lines", "recorded_at", "recorded_by",
                          "origin", "destination", "hts_code", "total_weight_kg", "lot_numbers"]
    static let columnList = columns.joined(separator: ", ")

    /// The numbers a record of `number` may be stored under: its electronic form, and the text
    /// as typed (records made before numbers were put in one form keep theirs).
    static func forms(of number: String) -> [String] {
        Array(Set([ImportCertificateNumber.canonical(number), number.trimmingWhitespace()]))
    }

    /// The records `number` names: stored under either of its forms, or, for an electronic
    /// number, stored before numbers were put in one form with other separators (its digits).
    static func matching(_ number: String) -> SQLQueryString {
        let canonical = ImportCertificateNumber.canonical(number)
        guard ImportCertificateNumber.isElectronic(canonical) else { return "number IN \(SQLBind.group(forms(of: number)))" }
        var digitsOnly: SQLQueryString = "number"
        for separator in [" ", "-", "\u{2010}", "\u{2011}", "\u{2013}", "\u{2014}"] { digitsOnly = "REPLACE(\(digitsOnly), \(bind: separator), '')" }
        return "(number IN \(SQLBind.group(forms(of: number))) OR \(digitsOnly) = \(bind: canonical.replacingOccurrences(of: "-", with: "")))"
    }

    /// The certificates of these rows with their use: one query for all of them.
    private static func recorded(_ rows: [any SQLRow], on db: any SQLDatabase) async throws -> [Recorded] {
        let certificates = try rows.map(certificate)
        let used = try await used(certificates, on: db)
        return try zip(rows, certificates).map { row, certificate in
            Recorded(certificate: certificate, recordedAt: try Timestamp.decode(row, "recorded_at", table: "import_certificates"),
                     recordedBy: try row.decode(column: "recorded_by", as: String.self), used: used[certificate.number] ?? [:])
        }
    }

    /// By certificate number and line: what the checks that were not blocked counted, in the line's unit.
    /// A check names the certificate in either form of its number (`forms(of:)`).
    private static func used(_ certificates: [ImportCertificate], on db: any SQLDatabase) async throws -> [String: [String: Double]] {
        guard !certificates.isEmpty else { return [:] }
        var units: [String: [String: String]] = [:]
        var recordOf: [String: String] = [:]
        for certificate in certificates {
            for line in certificate.lines { units[certificate.number, default: [:]][line.product] = QuantityUnit.key(line.unit) }
            for form in forms(of: certificate.number) { recordOf[form] = certificate.number }
        }
        var used: [String: [String: Double]] = [:]
        for row in try await db.raw("""
            SELECT import_certificate, import_line, quantity, unit FROM purchase_checks
            WHERE import_certificate IN \(SQLBind.group(Array(recordOf.keys))) AND decision <> 'block' AND quantity IS NOT NULL
            """).all() {
            guard let number = recordOf[try row.decode(column: "import_certificate", as: String.self)] else { continue }
            guard let line = try row.decode(column: "import_line", as: String?.self),
                  let quantity = Double(try row.decode(column: "quantity", as: String.self)),
                  units[number]?[line] == QuantityUnit.key(try row.decode(column: "unit", as: String?.self) ?? "") else { continue }
            used[number, default: [:]][line, default: 0] += quantity
        }
        return used
    }

    private static func certificate(_ row: any SQLRow) throws -> ImportCertificate {
        func date(_ column: String) throws -> CalendarDate? {
            guard let text = try row.decode(column: column, as: String?.self) else { return nil }
            guard let date = CalendarDate(iso: text) else { throw CorruptRow(column: "import_certificates.\(column)", value: text) }
            return date
        }
        let kindText = try row.decode(column: "kind", as: String.self)
        guard let kind = ImportCertificate.Kind(rawValue: kindText) else { throw CorruptRow(column: "import_certificates.kind", value: kindText) }
        return ImportCertificate(
            id: try row.decode(column: "id", as: String.self), number: try row.decode(column: "number", as: String.self),
            exporterId: try row.decode(column: "exporter_id", as: String.self), importer: try row.decode(column: "importer", as: String.self),
            kind: kind, shipmentDate: try date("shipment_date"), validFrom: try date("valid_from"), validTo: try date("valid_to"),
            portOfEntry: try row.decode(column: "port_of_entry", as: String?.self), certifier: try row.decode(column: "certifier", as: String?.self),
            lines: try JSONText.decode([ImportCertificate.Line].self, from: row.decode(column: "lines", as: String.self)),
            documentId: try row.decode(column: "document_id", as: String?.self),
            origin: try row.decode(column: "origin", as: String?.self), destination: try row.decode(column: "destination", as: String?.self),
            htsCode: try row.decode(column: "hts_code", as: String?.self), totalWeightKg: try weight(row),
            lotNumbers: try row.decode(column: "lot_numbers", as: String?.self).map { try JSONText.decode([String].self, from: $0) } ?? [])
    }

    private static func weight(_ row: any SQLRow) throws -> Double? {
        guard let text = try row.decode(column: "total_weight_kg", as: String?.self) else { return nil }
        guard let weight = Double(text), weight > 0, weight.isFinite else { throw CorruptRow(column: "import_certificates.total_weight_kg", value: text) }
        return weight
    }
}
