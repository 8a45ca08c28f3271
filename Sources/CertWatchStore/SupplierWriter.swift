import CertWatchCore
import Foundation
import SQLKit

/// Writes whole supplier records in batches: multi-row upserts keep a 100,000-row import to a few
/// hundred statements. Call inside a transaction.
struct SupplierWriter {
    let db: any SQLDatabase

    /// Rows per INSERT: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
    static let rowsPerStatement = 400

    /// Writes whole records; the certificates of `keepingCertificatesOf` and the supplier
    /// addresses of `keepingSupplierEmailsOf` stay as they are.
    func write(_ suppliers: [Supplier], at timestamp: String, keepingCertificatesOf kept: Set<String> = [],
               keepingSupplierEmailsOf keptEmails: Set<String> = []) async throws {
        for var chunk in suppliers.chunked(Self.rowsPerStatement) {
            let keeping = chunk.map(\.id).filter(keptEmails.contains)
            if !keeping.isEmpty {
                let stored = try await supplierEmails(of: keeping)
                for index in chunk.indices where keptEmails.contains(chunk[index].id) {
                    chunk[index].supplierEmails = stored[chunk[index].id] ?? []
                }
            }
            try await upsertSuppliers(chunk, at: timestamp)
            try await db.delete(from: "supplier_tags").where("supplier_id", .in, chunk.map(\.id)).run()
            try await insertTags(chunk)
            try await replaceCertificates(chunk.filter { !kept.contains($0.id) }.map { ($0.id, $0.certificate) })
        }
    }

    /// Replaces only the certificates (with their items) of these suppliers; what a verification
    /// changes, leaving names, contacts and tags as people entered them.
    func replaceCertificates(_ certificates: [(supplierId: String, certificate: Certificate?)]) async throws {
        for chunk in certificates.chunked(Self.rowsPerStatement) {
            let ids = chunk.map(\.supplierId)
            for table in ["certificate_items", "certificates"] {
                try await db.delete(from: table).where("supplier_id", .in, ids).run()
            }
            try await insertCertificates(chunk.compactMap { row in row.certificate.map { (row.supplierId, $0) } })
            try await insertItems(chunk.compactMap { row in row.certificate.map { (row.supplierId, $0) } })
        }
    }

    private func supplierEmails(of ids: [String]) async throws -> [String: [String]] {
        var emails: [String: [String]] = [:]
        for row in try await db.select().columns("id", "supplier_emails").from("suppliers").where("id", .in, ids).all() {
            emails[try row.decode(column: "id", as: String.self)] =
                try JSONText.decode([String].self, from: row.decode(column: "supplier_emails", as: String.self))
        }
        return emails
    }

    private func upsertSuppliers(_ suppliers: [Supplier], at timestamp: String) async throws {
        var insert = db.insert(into: "suppliers").columns(
            "id", "name", "other_names", "nop_operation_id", "certifier", "country", "contact_emails",
            "time_zone", "search_text", "created_at", "updated_at", "imports", "supplier_emails")
        for s in suppliers {
            insert = insert.values(
                s.id, s.name, JSONText.encode(s.otherNames), s.nopOperationId?.rawValue, s.certifier, s.country,
                JSONText.encode(s.contactEmails), s.timeZone, Self.searchText(s), timestamp, timestamp, s.imports ? 1 : 0,
                JSONText.encode(s.supplierEmails))
        }
        try await insert.onConflict(with: ["id"]) { conflict in
            try conflict
                .set(excludedValueOf: "name").set(excludedValueOf: "other_names")
                .set(excludedValueOf: "nop_operation_id").set(excludedValueOf: "certifier")
                .set(excludedValueOf: "country").set(excludedValueOf: "contact_emails")
                .set(excludedValueOf: "time_zone").set(excludedValueOf: "search_text")
                .set(excludedValueOf: "updated_at").set(excludedValueOf: "imports")
                .set(excludedValueOf: "supplier_emails")
        }.run()
    }

    private func insertTags(_ suppliers: [Supplier]) async throws {
        let rows = suppliers.flatMap { s in s.tags.map { [s.id, $0, $0.lowercased()] } }
        for chunk in rows.chunked(Self.rowsPerStatement * 3) {
            var insert = db.insert(into: "supplier_tags").columns("supplier_id", "tag", "tag_key")
            for row in chunk { insert = insert.values(row[0], row[1], row[2]) }
            try await insert.run()
        }
    }

    private func insertCertificates(_ certified: [(String, Certificate)]) async throws {
        guard !certified.isEmpty else { return }
        var insert = db.insert(into: "certificates").columns(
            "supplier_id", "scheme", "number", "status_code", "status_text", "status_effective_date",
            "anniversary_date", "valid_to", "scopes")
        for (id, c) in certified {
            insert = insert.values(
                id, c.scheme.rawValue, c.number, c.status.code, c.status.text, c.statusEffectiveDate?.description,
                c.anniversaryDate?.description, c.validTo?.description, try JSONText.encode(StoredScopes(c.scopes)))
        }
        try await insert.run()
    }

    /// `certificate_items.scope` of an item whose scope INTEGRITY did not give (the column predates it and is NOT NULL).
    static let unknownScope = "unknown"

    private func insertItems(_ certified: [(String, Certificate)]) async throws {
        let items = certified.flatMap { id, certificate in
            certificate.items.enumerated().map { (id, $0.offset, $0.element) }
        }
        for chunk in items.chunked(Self.rowsPerStatement) {
            var insert = db.insert(into: "certificate_items").columns(
                "supplier_id", "position", "scope", "category", "items", "varieties", "status_code",
                "status_text", "status_effective_date")
            for (id, position, item) in chunk {
                insert = insert.values(
                    id, position, item.scope?.rawValue ?? Self.unknownScope, item.category, JSONText.encode(item.items),
                    JSONText.encode(item.varieties), item.status.code, item.status.text,
                    item.statusEffectiveDate?.description)
            }
            try await insert.run()
        }
    }

    /// Lower-cased name, other names and NOP ID, searched with LIKE for the list's text filter.
    static func searchText(_ s: Supplier) -> String {
        ([s.name] + s.otherNames + [s.nopOperationId?.rawValue ?? "", s.certifier ?? ""]).joined(separator: "\n").lowercased()
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
