import CertWatchCore
import Foundation
import SQLKit

/// What reading a document on file found, kept beside it.
public struct DocumentReading: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Text was read and cross-checked.
        case read
        /// A scan or an image: nothing to read, checked by hand.
        case noText = "no_text"
        /// Reading failed or was stopped: checked by hand.
        case notRead = "not_read"
    }

    public var documentId: String
    public var status: Status
    public var detail: String?
    public var findings: [DocumentFinding]
    public var readAt: Date

    public init(documentId: String, status: Status, detail: String?, findings: [DocumentFinding], readAt: Date) {
        self.documentId = documentId
        self.status = status
        self.detail = detail
        self.findings = findings
        self.readAt = readAt
    }
}

extension DocumentStore {
    public func save(_ reading: DocumentReading) async throws {
        try await database.transaction { db in
            try await db.delete(from: "document_readings").where("document_id", .equal, reading.documentId).run()
            try await db.insert(into: "document_readings").columns("document_id", "status", "detail", "findings", "read_at")
                .values(reading.documentId, reading.status.rawValue, reading.detail, try JSONText.encode(reading.findings),
                        Timestamp.format(reading.readAt))
                .run()
        }
    }

    /// The readings of these documents, by document id.
    public func readings(documentIds: [String]) async throws -> [String: DocumentReading] {
        guard !documentIds.isEmpty else { return [:] }
        return try await database.withConnection { db in
            var readings: [String: DocumentReading] = [:]
            for row in try await db.raw("""
                SELECT document_id, status, detail, findings, read_at FROM document_readings WHERE document_id IN \(SQLBind.group(documentIds))
                """).all() {
                let statusText = try row.decode(column: "status", as: String.self)
                guard let status = DocumentReading.Status(rawValue: statusText) else {
                    throw CorruptRow(column: "document_readings.status", value: statusText)
                }
                let id = try row.decode(column: "document_id", as: String.self)
                readings[id] = DocumentReading(
                    documentId: id, status: status, detail: try row.decode(column: "detail", as: String?.self),
                    findings: try JSONText.decode([DocumentFinding].self, from: row.decode(column: "findings", as: String.self)),
                    readAt: try Timestamp.decode(row, "read_at", table: "document_readings"))
            }
            return readings
        }
    }
}
