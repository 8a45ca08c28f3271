import CertWatchCore
import CertWatchStore
import Foundation
import SQLKit

/// Files a document and reads it: a PDF's text is extracted (`PDFText`) and cross-checked with
/// the supplier's record, which the nightly verification keeps as INTEGRITY states it
/// (`CertificateCrossCheck`); an image or a scan without text is recorded as such, to be checked
/// by hand. The reading is stored with the document; nothing is guessed.
public struct DocumentReview: Sendable {
    let database: Database
    let limits: PDFText.Limits
    let now: @Sendable () -> Date

    public init(database: Database, limits: PDFText.Limits = PDFText.Limits(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.limits = limits
        self.now = now
    }

    /// Files `bytes` and reads them; `DocumentStore.Refusal` for what is not a PDF, PNG or JPEG.
    /// An organic certificate that disagrees with the record, or that a NOP fraud notice names,
    /// raises a `document.mismatch` alert. `within` runs in the filing's transaction (see
    /// `DocumentStore.add`); reading and alerts come after it commits.
    public func file(supplierId: String, kind: DocumentKind, fileName: String?, bytes: [UInt8], uploadedBy: String,
                     within: (@Sendable (any SQLDatabase, StoredDocument) async throws -> Void)? = nil)
        async throws -> (document: StoredDocument, reading: DocumentReading) {
        let documents = DocumentStore(database: database, now: now)
        let document = try await documents.add(supplierId: supplierId, kind: kind, fileName: fileName, bytes: bytes,
                                               uploadedBy: uploadedBy, within: within)
        let reading = try await read(document, bytes: bytes)
        try await documents.save(reading)
        try await alertOnMismatch(document, reading)
        return (document, reading)
    }

    private func alertOnMismatch(_ document: StoredDocument, _ reading: DocumentReading) async throws {
        let paper = CertificateOnFile(documentId: document.id, uploadedAt: document.uploadedAt, findings: reading.findings)
        let mismatches = paper.fraudNotices + paper.mismatches
        guard document.kind == .organicCertificate, !mismatches.isEmpty,
              let supplier = try await SupplierStore(database: database).get(id: document.supplierId)?.supplier else { return }
        let data = AlertData.documentMismatch(supplier: .init(supplier), documentId: document.id, mismatches: mismatches)
        try await AlertStore(database: database).raise([.documentMismatch(data)], at: now())
    }

    func read(_ document: StoredDocument, bytes: [UInt8]) async throws -> DocumentReading {
        func reading(_ status: DocumentReading.Status, _ detail: String?, _ findings: [DocumentFinding]) -> DocumentReading {
            DocumentReading(documentId: document.id, status: status, detail: detail, findings: findings, readAt: now())
        }
        guard document.type == .pdf else {
            return reading(.noText, "an image; CertWatch does not read images", [.init(.noTextFound, "An image has no text to read: check it by hand.")])
        }
        switch await PDFText.extract(bytes, limits: limits) {
        case .noText:
            return reading(.noText, "no text in the PDF (a scan?)", [.init(.noTextFound, "No text was found (a scan?): check it by hand.")])
        case .notRead(let why):
            return reading(.notRead, why, [.init(.notRead, "The document could not be read (\(why)): check it by hand.")])
        case .text(let text):
            guard let supplier = try await SupplierStore(database: database).get(id: document.supplierId)?.supplier else {
                return reading(.read, "the supplier is no longer in the registry; nothing to compare", [])
            }
            let paper = CertificateText(text)
            let others = try await otherOperations(paper.nopOperationIds, besides: supplier)
            let notices = try await FraudNoticeStore(database: database).all()
            return reading(.read, nil, CertificateCrossCheck.findings(paper, supplier: supplier, otherOperations: others, notices: notices))
        }
    }

    /// The registry's other suppliers, then INTEGRITY's directory, for the NOP IDs on the paper.
    private func otherOperations(_ ids: [String], besides supplier: Supplier) async throws -> [CertificateCrossCheck.OtherOperation] {
        var others: [CertificateCrossCheck.OtherOperation] = []
        let registry = SupplierStore(database: database)
        let directory = IntegrityDirectoryStore(database: database)
        for id in ids.prefix(5) where id != supplier.nopOperationId?.rawValue {
            if let nop = NOPOperationID(id), let found = try await registry.find(nopOperationId: nop) {
                others.append(.init(nopOperationId: id, name: found.supplier.name))
            } else if let entry = try await directory.search(id, limit: 1).first(where: { $0.nopOperationId == id }) {
                others.append(.init(nopOperationId: id, name: entry.name))
            }
        }
        return others
    }
}
