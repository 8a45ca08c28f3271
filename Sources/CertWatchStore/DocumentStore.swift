import CertWatchCore
import Crypto
import Foundation
import SQLKit

/// A document on file for a supplier, as listed (its bytes are read separately).
public struct StoredDocument: Sendable, Equatable, Codable {
    public var id: String
    public var supplierId: String
    public var kind: DocumentKind
    public var fileName: String?
    /// SHA-256 of the bytes: the document's identity as evidence.
    public var sha256: String
    public var type: DocumentType
    public var byteCount: Int
    public var uploadedAt: Date
    public var uploadedBy: String
}

/// Documents on file, in the database (so replicas share them and one backup holds everything),
/// content-addressed: the same bytes uploaded twice are stored once.
public struct DocumentStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Why an upload is refused before anything is written.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case notAcceptedType
        case empty

        public var description: String {
            switch self {
            case .notAcceptedType: "the file is not a PDF, PNG or JPEG (its type is read from its bytes)"
            case .empty: "the file is empty"
            }
        }
    }

    /// Files `bytes` for `supplierId`; the type comes from the bytes. `within` runs in the same
    /// transaction after the insert: if it throws, nothing is filed (a supplier's upload answers
    /// its request this way, or not at all).
    public func add(supplierId: String, kind: DocumentKind, fileName: String?, bytes: [UInt8], uploadedBy: String,
                    within: (@Sendable (any SQLDatabase, StoredDocument) async throws -> Void)? = nil) async throws -> StoredDocument {
        guard !bytes.isEmpty else { throw Refusal.empty }
        guard let type = DocumentType(sniffing: bytes) else { throw Refusal.notAcceptedType }
        let document = StoredDocument(
            id: RecordID.make(), supplierId: supplierId, kind: kind, fileName: fileName.map { Self.safeName($0, of: type) },
            sha256: SHA256.hash(data: bytes).hexString, type: type, byteCount: bytes.count, uploadedAt: now(), uploadedBy: uploadedBy)
        try await database.transaction { db in
            // The same bytes filed twice at once (a double-click) are stored once, without a conflict.
            try await db.insert(into: "document_contents").columns("sha256", "media_type", "byte_count", "content")
                .values(document.sha256, type.rawValue, bytes.count, Data(bytes)).ignoringConflicts(with: ["sha256"]).run()
            try await db.insert(into: "documents")
                .columns("id", "supplier_id", "kind", "file_name", "sha256", "media_type", "byte_count", "uploaded_at", "uploaded_by")
                .values(document.id, supplierId, kind.rawValue, document.fileName, document.sha256, type.rawValue, bytes.count,
                        Timestamp.format(document.uploadedAt), uploadedBy)
                .run()
            try await within?(db, document)
        }
        return document
    }

    /// A supplier's documents, newest first.
    public func list(supplierId: String) async throws -> [StoredDocument] {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT id, supplier_id, kind, file_name, sha256, media_type, byte_count, uploaded_at, uploaded_by FROM documents
                WHERE supplier_id = \(bind: supplierId) ORDER BY uploaded_at DESC, id DESC
                """).all().map(Self.document)
        }
    }

    public func get(id: String) async throws -> StoredDocument? {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT id, supplier_id, kind, file_name, sha256, media_type, byte_count, uploaded_at, uploaded_by FROM documents
                WHERE id = \(bind: id)
                """).first().map(Self.document)
        }
    }

    /// The document's bytes.
    public func content(of document: StoredDocument) async throws -> Data? {
        try await database.withConnection { db in
            try await db.select().column("content").from("document_contents").where("sha256", .equal, document.sha256).first()?
                .decode(column: "content", as: Data.self)
        }
    }

    /// How many distinct contents are stored: what deduplication saves shows here.
    public func contentCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM document_contents").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// A file name as given, without directories or control characters, so it is safe in a
    /// `Content-Disposition` header and a zip entry, and ending in its type's extension: a PDF
    /// named `cert.html` is saved as `cert.html.pdf`, so a download opens as what the bytes are.
    static func safeName(_ name: String, of type: DocumentType) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String(last.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" && $0.value != 0x7F }.map(Character.init)).prefix(200))
        guard !cleaned.isEmpty else { return "document." + type.fileExtension }
        let extensions = type == .jpeg ? ["jpg", "jpeg"] : [type.fileExtension]
        let own = cleaned.split(separator: ".").last.map { $0.lowercased() }
        return cleaned.contains(".") && extensions.contains(own ?? "") ? cleaned : cleaned + "." + type.fileExtension
    }

    private static func document(_ row: any SQLRow) throws -> StoredDocument {
        let kindText = try row.decode(column: "kind", as: String.self)
        guard let kind = DocumentKind(rawValue: kindText) else { throw CorruptRow(column: "documents.kind", value: kindText) }
        let typeText = try row.decode(column: "media_type", as: String.self)
        guard let type = DocumentType(rawValue: typeText) else { throw CorruptRow(column: "documents.media_type", value: typeText) }
        return StoredDocument(
            id: try row.decode(column: "id", as: String.self), supplierId: try row.decode(column: "supplier_id", as: String.self),
            kind: kind, fileName: try row.decode(column: "file_name", as: String?.self),
            sha256: try row.decode(column: "sha256", as: String.self), type: type,
            byteCount: try row.decode(column: "byte_count", as: Int.self),
            uploadedAt: try Timestamp.decode(row, "uploaded_at", table: "documents"),
            uploadedBy: try row.decode(column: "uploaded_by", as: String.self))
    }
}
