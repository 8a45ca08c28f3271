import CertWatchCore
import CertWatchServer
import CertWatchStore
import Crypto
import Foundation
import ZIPFoundation

/// The file an inspector asks for about one supplier: the supplier and its certificate, every
/// verification with its evidence, the status history and every purchase check, as JSON and CSV,
/// with a manifest of SHA-256 digests and the audit chain's state when it was written.
public struct AuditExport: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    /// What went into the file.
    public struct Summary: Sendable, Codable, Equatable {
        public var supplierId: String
        public var verifications: Int
        public var statusChanges: Int
        public var purchaseChecks: Int
        public var documents: Int
        public var files: [String]
    }

    /// The zip as bytes with its file name, for a download; nil when there is nothing to export.
    public func zip(supplierId: String) async throws -> (fileName: String, zip: Data)? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-export-\(RecordID.make()).zip")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try await write(supplierId: supplierId, to: file)
        } catch is NothingToExport {
            return nil
        }
        return ("certwatch-audit-\(supplierId).zip", try Data(contentsOf: file))
    }

    /// Writes the zip to `destination` (atomically: a failure leaves no partial file). Evidence
    /// outlives the supplier record, so a deleted supplier's id still exports its evidence.
    public func write(supplierId: String, to destination: URL) async throws -> Summary {
        let stored = try await SupplierStore(database: database).get(id: supplierId)
        let verificationStore = VerificationStore(database: database)
        let verifications = try await verificationStore.history(supplierId: supplierId, limit: 10_000_000).reversed()
        let history = try await verificationStore.statusHistory(supplierId: supplierId)
        let checks = try await PurchaseCheckStore(database: database).checks(supplierId: supplierId)
        let documentStore = DocumentStore(database: database)
        let documents = try await documentStore.list(supplierId: supplierId).reversed()
        guard stored != nil || !verifications.isEmpty || !checks.isEmpty || !documents.isEmpty else { throw NothingToExport(supplierId: supplierId) }
        let chain = try await AuditChain(database: database).verify()

        var files: [(String, Data)] = []
        let latest = verifications.last
        files.append(("supplier.json", try Self.json(stored.map { SupplierResponse(stored: $0, lastVerification: latest) })))
        files.append(("certificate-items.csv", Data(Self.itemsCSV(stored?.supplier.certificate).utf8)))
        files.append(("verifications.json", try Self.json(verifications.map(VerificationResponse.init))))
        files.append(("verifications.csv", Data(Self.verificationsCSV(Array(verifications)).utf8)))
        files.append(("status-history.json", try Self.json(history)))
        files.append(("status-history.csv", Data(Self.historyCSV(history).utf8)))
        files.append(("purchase-checks.json", try Self.json(checks.map(PurchaseCheckResponse.init))))
        files.append(("purchase-checks.csv", Data(Self.checksCSV(checks).utf8)))
        // Who uploaded, verified by hand, and so on: the activity record about this supplier.
        let activity = try await ActivityLog(database: database).entries(subject: supplierId, limit: 10_000).reversed()
        files.append(("activity.csv", Data(Self.activityCSV(Array(activity)).utf8)))
        // What was asked of the supplier and what it sent (each email, the upload, its verdict, in activity.csv).
        let requests = try await CertificateRequestStore(database: database).list(supplierId: supplierId, limit: 1_000).reversed()
        files.append(("certificate-requests.json", try Self.json(requests.map(CertificateRequestResponse.init))))
        files.append(("certificate-requests.csv", Data(Self.requestsCSV(Array(requests)).utf8)))
        // Each document on file as it was uploaded; its SHA-256 in README.txt is its identity.
        files.append(("documents.json", try Self.json(Array(documents))))
        for document in documents {
            guard let content = try await documentStore.content(of: document) else { continue }
            files.append(("documents/\(CalendarDate(utc: document.uploadedAt))-\(document.kind.rawValue)-\(document.sha256.prefix(12)).\(document.type.fileExtension)", content))
        }
        files.insert(("README.txt", Data(manifest(supplierId: supplierId, name: stored?.supplier.name, files: files, chain: chain).utf8)), at: 0)

        let temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(RecordID.make())")
        do {
            let archive = try Archive(url: temporary, accessMode: .create)
            for (name, data) in files {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            // rename(2) replaces an existing file atomically; Foundation's replaceItemAt needs one to exist.
            guard rename(temporary.path, destination.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return Summary(supplierId: supplierId, verifications: verifications.count, statusChanges: history.count,
                       purchaseChecks: checks.count, documents: documents.count, files: files.map(\.0))
    }

    private func manifest(supplierId: String, name: String?, files: [(String, Data)], chain: AuditChain.Report) -> String {
        var lines = [
            "CertWatch audit export",
            "Supplier: \(name ?? "(deleted from the registry)") [\(supplierId)]",
            "Written: \(Timestamp.format(now()))",
            "Purchase-check chain: \(chain.checked) records, head hash \(chain.headHash), "
                + (chain.firstBroken.map { "BROKEN at record \($0.seq): \($0.problem)" } ?? "intact"),
            "",
            "SHA-256 of each file:",
        ]
        lines += files.map { "\(SHA256.hash(data: $0.1).hexString)  \($0.0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    private static func itemsCSV(_ certificate: Certificate?) -> String {
        var csv = CSVWriter(header: ["scope", "category", "items", "varieties", "status", "statusEffectiveDate"])
        for item in certificate?.items ?? [] {
            csv.append([item.scope?.rawValue ?? "unknown", item.category, item.items.joined(separator: "; "), item.varieties.joined(separator: "; "),
                        item.status.text, item.statusEffectiveDate?.description])
        }
        return csv.text
    }

    private static func verificationsCSV(_ records: [VerificationRecord]) -> String {
        var csv = CSVWriter(header: ["id", "runId", "at", "source", "url", "digest", "outcome", "reason", "foundStatus", "changes"])
        for r in records {
            csv.append([r.id, r.runId, Timestamp.format(r.at), r.source, r.url, r.digest, r.outcome.rawValue, r.reason, r.foundStatus,
                        r.changes.map(\.description).joined(separator: "; ")])
        }
        return csv.text
    }

    private static func historyCSV(_ entries: [StatusHistoryEntry]) -> String {
        var csv = CSVWriter(header: ["at", "field", "from", "to", "effectiveDate", "verificationId", "firstSighting"])
        for e in entries {
            csv.append([Timestamp.format(e.at), e.field, e.from, e.to, e.effectiveDate?.description, e.verificationId,
                        e.firstSighting ? "true" : "false"])
        }
        return csv.text
    }

    private static func activityCSV(_ entries: [ActivityLog.Entry]) -> String {
        var csv = CSVWriter(header: ["at", "actor", "action", "detail"])
        for entry in entries { csv.append([Timestamp.format(entry.at), entry.actor, entry.action, entry.detail]) }
        return csv.text
    }

    private static func requestsCSV(_ requests: [CertificateRequest]) -> String {
        var csv = CSVWriter(header: ["id", "kind", "state", "origin", "requestedBy", "createdAt", "expiresAt", "emailsSent", "recipients",
                                     "closedAt", "closedBy", "documentId"])
        for r in requests {
            csv.append([r.id, r.kind.rawValue, r.state.rawValue, r.origin.rawValue, r.requestedBy, Timestamp.format(r.createdAt),
                        Timestamp.format(r.expiresAt), String(r.emailsSent), r.recipients.joined(separator: "; "),
                        r.closedAt.map(Timestamp.format), r.closedBy, r.documentId])
        }
        return csv.text
    }

    private static func checksCSV(_ checks: [PurchaseCheck]) -> String {
        var csv = CSVWriter(header: ["seq", "checkId", "checkedAt", "askedBy", "product", "date", "decision", "reasons", "matchedItem",
                                     "status", "verificationId", "verifiedAt", "hash", "prevHash"])
        for c in checks {
            csv.append([String(c.seq), c.id, Timestamp.format(c.checkedAt), c.askedBy, c.product, c.date.description, c.decision.rawValue,
                        c.reasons.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: " | "), c.matchedItem, c.status?.text,
                        c.verificationId, c.verifiedAt.map(Timestamp.format), c.hash, c.prevHash])
        }
        return csv.text
    }
}

/// Neither a supplier nor any evidence has this id.
public struct NothingToExport: Error, CustomStringConvertible {
    public var supplierId: String
    public var description: String { "no supplier and no evidence for \(supplierId)" }
}
