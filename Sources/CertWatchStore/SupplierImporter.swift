import CertWatchCore
import Foundation
import SQLKit

/// What an import did (or, for a dry run, would do).
public struct ImportReport: Sendable, Codable, Equatable {
    public var rows: Int
    public var created: Int
    public var updated: Int
    /// False for a dry run: nothing was written.
    public var applied: Bool

    public init(rows: Int, created: Int, updated: Int, applied: Bool) {
        self.rows = rows
        self.created = created
        self.updated = updated
        self.applied = applied
    }
}

/// Applies a supplier file all or nothing: every row is validated first, and only a file without
/// a single bad row is written, in one transaction.
///
/// Rows are matched to existing suppliers by NOP operation ID, so importing the same file twice
/// updates instead of duplicating. A row without a NOP ID matches a supplier without one that has
/// the same name (ignoring case); otherwise it creates a supplier.
public struct SupplierImporter: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Throws `ValidationFailure` (every bad row with its line) and writes nothing on any error.
    /// `progress` is called with (rows written, rows in all) after each batch.
    public func run(
        _ rows: [SupplierCSV.Row], dryRun: Bool,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> ImportReport {
        let suppliers = try Self.validate(rows)
        return try await database.registryTransaction { db in
            var (byNOP, byName) = try await existingKeys(on: db)
            var report = ImportReport(rows: suppliers.count, created: 0, updated: 0, applied: !dryRun)
            var resolved: [Supplier] = []
            var keptCertificates: Set<String> = []
            var keptSupplierEmails: Set<String> = []
            resolved.reserveCapacity(suppliers.count)
            for (row, var supplier) in zip(rows, suppliers) {
                let existing = supplier.nopOperationId.map { byNOP[$0.rawValue] } ?? byName[supplier.name.lowercased()]
                if let existing {
                    supplier.id = existing
                    report.updated += 1
                    if !row.statesCertificate { keptCertificates.insert(existing) }
                    if row.input.supplierEmails == nil { keptSupplierEmails.insert(existing) }
                } else {
                    supplier.id = RecordID.make()
                    report.created += 1
                    if supplier.nopOperationId == nil { byName[supplier.name.lowercased()] = supplier.id }
                }
                if let nop = supplier.nopOperationId { byNOP[nop.rawValue] = supplier.id }
                resolved.append(supplier)
            }
            guard !dryRun else { return report }
            let writer = SupplierWriter(db: db)
            let timestamp = Timestamp.format(now())
            let batch = 2_000
            for start in stride(from: 0, to: resolved.count, by: batch) {
                let end = min(start + batch, resolved.count)
                try await writer.write(Array(resolved[start..<end]), at: timestamp, keepingCertificatesOf: keptCertificates,
                                 keepingSupplierEmailsOf: keptSupplierEmails)
                progress(end, resolved.count)
            }
            return report
        }
    }

    /// Validates every row. A NOP ID used twice in one file, or a name used twice by rows without
    /// one (they would be the same supplier), is an error on its second line.
    static func validate(_ rows: [SupplierCSV.Row]) throws(ValidationFailure) -> [Supplier] {
        var errors: [FieldError] = []
        var suppliers: [Supplier] = []
        var firstLineOf: [String: Int] = [:]
        var firstLineOfName: [String: Int] = [:]
        for row in rows {
            do {
                let supplier = try row.input.validated(id: "")
                if let nop = supplier.nopOperationId {
                    if let first = firstLineOf[nop.rawValue] {
                        errors.append(FieldError(
                            line: row.line, field: SupplierCSV.Column.nopOperationId.rawValue,
                            message: "NOP operation ID \(nop) is already on line \(first)"))
                        continue
                    }
                    firstLineOf[nop.rawValue] = row.line
                } else {
                    let key = supplier.name.lowercased()
                    if let first = firstLineOfName[key] {
                        errors.append(FieldError(
                            line: row.line, field: SupplierCSV.Column.name.rawValue,
                            message: "\"\(supplier.name)\" without a NOP operation ID is already on line \(first)"))
                        continue
                    }
                    firstLineOfName[key] = row.line
                }
                suppliers.append(supplier)
            } catch {
                errors += error.errors.map { FieldError(line: row.line, field: $0.field, message: $0.message) }
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return suppliers
    }

    private func existingKeys(on db: any SQLDatabase) async throws -> (byNOP: [String: String], byName: [String: String]) {
        var byNOP: [String: String] = [:]
        var byName: [String: String] = [:]
        for row in try await db.raw("SELECT id, name, nop_operation_id FROM suppliers").all() {
            let id = try row.decode(column: "id", as: String.self)
            if let nop = try row.decode(column: "nop_operation_id", as: String?.self) {
                byNOP[nop] = id
            } else {
                byName[try row.decode(column: "name", as: String.self).lowercased()] = id
            }
        }
        return (byNOP, byName)
    }
}
