import CertWatchCore
import CertWatchDocuments
import CertWatchStore
import Foundation

/// The supplier's side of a certificate request: the upload page a link opens, and what it
/// files. Each file goes through `DocumentReview`, exactly as a staff upload, and answers its
/// request in the same transaction, so a link that stopped working files nothing. The compliance
/// manager hears of it (`document.received`, with the verdict); the supplier is told only what
/// was received, never the cross-check, which would coach a forger.
public struct SupplierUploads: Sendable {
    /// What the upload page shows: who asks, whom, for what, until when. Nothing else of the registry.
    public struct Page: Sendable, Equatable {
        public var handlerName: String
        public var supplierName: String
        public var kinds: [DocumentKind]
        public var expiresAt: Date
        public var maxBytes: Int
    }

    public enum Opened: Sendable, Equatable {
        case open(Page)
        case closed(CertificateRequest.State)
        case unknown
        /// Too many unknown links from this address: refused until then.
        case limited(until: Date)
    }

    public struct File: Sendable {
        public var kind: DocumentKind
        public var fileName: String?
        public var bytes: [UInt8]

        public init(kind: DocumentKind, fileName: String?, bytes: [UInt8]) {
            self.kind = kind
            self.fileName = fileName
            self.bytes = bytes
        }
    }

    /// A file filed, as the supplier is shown it.
    public struct Received: Sendable, Equatable {
        public var kind: DocumentKind
        public var fileName: String?
        public var type: DocumentType
        public var byteCount: Int
        public var sha256: String
        public var at: Date
    }

    /// Why an upload filed nothing, in the words the form shows the supplier.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case nothingSent
        case tooLarge(DocumentKind, bytes: Int, limit: Int)
        case notAcceptedType(DocumentKind)
        case notRequested(DocumentKind)

        public var description: String {
            switch self {
            case .nothingSent: "No file was sent. Choose a file for at least one of the documents."
            case .tooLarge(let kind, let bytes, let limit): "The \(kind.words) has \(bytes) bytes; at most \(limit) are accepted."
            case .notAcceptedType(let kind): "The \(kind.words) is not a PDF, PNG or JPEG file (its type is read from its contents)."
            case .notRequested(let kind): "No \(kind.words) was asked for through this link."
            }
        }
    }

    /// The link stopped working before anything was filed (answered, withdrawn or expired
    /// meanwhile): the page shows the link's state, as when it is opened.
    public struct LinkClosed: Error {}

    let store: CertificateRequestStore
    let suppliers: SupplierStore
    let review: DocumentReview
    let alerts: AlertStore
    let activity: ActivityLog
    let failures: SignInFailureStore
    let settings: RequestSettings
    let maxBytes: Int
    let now: @Sendable () -> Date

    public init(database: Database, review: DocumentReview, settings: RequestSettings, maxBytes: Int,
                now: @escaping @Sendable () -> Date = { Date() }) {
        store = CertificateRequestStore(database: database, now: now)
        suppliers = SupplierStore(database: database, now: now)
        alerts = AlertStore(database: database)
        activity = ActivityLog(database: database, now: now)
        failures = SignInFailureStore(database: database, now: now)
        self.review = review
        self.settings = settings
        self.maxBytes = maxBytes
        self.now = now
    }

    /// Who asks, as the pages name them (the fallback only if the setting was removed after
    /// the link was sent: sending needs it).
    public var handlerName: String { settings.handlerName ?? "Your customer" }

    /// The page `token` opens, to show it. An address over its limit is refused before anything
    /// is looked up or written; an unknown token counts against the address. Nothing is counted
    /// for a closed link, so a made-up path adds no row of its own.
    public func open(token: String, clientAddress: String) async throws -> Opened {
        try await open(token: token, clientAddress: clientAddress, countingUpload: false)
    }

    /// The page `token` opens, to take an upload: as `open`, and an upload through a real, open
    /// link also counts against the link and the address, before its body is read.
    public func openForUpload(token: String, clientAddress: String) async throws -> Opened {
        try await open(token: token, clientAddress: clientAddress, countingUpload: true)
    }

    private func open(token: String, clientAddress: String, countingUpload: Bool) async throws -> Opened {
        let address = SignInFailureStore.Subject(key: "upload-address:" + clientAddress, limit: settings.maxUploadsPerAddress)
        if let until = try await failures.lockedUntil([address], window: RequestSettings.uploadWindow) { return .limited(until: until) }
        switch try await store.link(token: token) {
        case .unknown:
            let until = try await failures.countAttempt([address], window: RequestSettings.uploadWindow)
            return until.map { .limited(until: $0) } ?? .unknown
        case .closed(let state):
            return .closed(state)
        case .open(let link):
            if countingUpload {
                let perLink = SignInFailureStore.Subject(key: "upload-link:" + CertificateRequestStore.linkKey(token), limit: settings.maxUploadsPerLink)
                if let until = try await failures.countAttempt([perLink, address], window: RequestSettings.uploadWindow) {
                    return .limited(until: until)
                }
            }
            guard let name = try await suppliers.get(id: link.supplierId)?.supplier.name else { return .closed(.withdrawn) }
            return .open(Page(handlerName: handlerName, supplierName: name,
                              kinds: link.requests.map(\.kind), expiresAt: link.requests.map(\.expiresAt).max() ?? now(),
                              maxBytes: maxBytes))
        }
    }

    /// What an upload filed, and what it could not (a request that closed meanwhile).
    public struct Receipt: Sendable, Equatable {
        public var received: [Received]
        public var notFiled: [DocumentKind]
        /// The kinds the link still asks for.
        public var stillOpen: [DocumentKind]
    }

    /// Files what the supplier sent for the link's open requests, all checked before any is
    /// filed, each answering its request in its own filing's transaction. Throws `Refusal`, or
    /// `LinkClosed` when the link stopped working before anything was filed.
    public func receive(token: String, files: [File]) async throws -> Receipt {
        guard case .open(let link) = try await store.link(token: token) else { throw LinkClosed() }
        let sent = files.filter { !$0.bytes.isEmpty }
        guard !sent.isEmpty else { throw Refusal.nothingSent }
        var answering: [(File, CertificateRequest)] = []
        for file in sent {
            guard let request = link.requests.first(where: { $0.kind == file.kind }) else { throw Refusal.notRequested(file.kind) }
            guard file.bytes.count <= maxBytes else { throw Refusal.tooLarge(file.kind, bytes: file.bytes.count, limit: maxBytes) }
            guard DocumentType(sniffing: file.bytes) != nil else { throw Refusal.notAcceptedType(file.kind) }
            answering.append((file, request))
        }
        var receipt = Receipt(received: [], notFiled: [], stillOpen: [])
        for (file, request) in answering {
            do {
                receipt.received.append(try await filing(file, answering: request))
            } catch is LinkClosed where !receipt.received.isEmpty {
                receipt.notFiled.append(file.kind)
            }
        }
        if case .open(let still) = try await store.link(token: token) { receipt.stillOpen = still.requests.map(\.kind) }
        return receipt
    }

    /// Files one document. The request is answered, and the receipt recorded, in the filing's
    /// transaction; the reading, its verdict and `document.received` follow the commit.
    private func filing(_ file: File, answering request: CertificateRequest) async throws -> Received {
        let actor = "request:" + request.id
        let store = store
        let at = now()
        let filed: (document: StoredDocument, reading: DocumentReading)
        do {
            filed = try await review.file(supplierId: request.supplierId, kind: file.kind, fileName: file.fileName, bytes: file.bytes,
                                          uploadedBy: actor) { db, document in
                guard try await store.answer(requestId: request.id, documentId: document.id, by: actor, in: db) else { throw LinkClosed() }
                try await ActivityLog.append(actor: actor, action: CertificateRequest.Event.received.rawValue, subject: request.supplierId,
                                             detail: "\(file.kind.rawValue) \(document.sha256) document \(document.id)", at: at, in: db)
            }
        } catch is DocumentStore.Refusal {
            throw Refusal.notAcceptedType(file.kind)
        }
        let document = filed.document
        let verdict = DocumentVerdict(kind: file.kind, findings: filed.reading.findings)
        try await activity.append(actor: "certwatch", action: CertificateRequest.Event.checked.rawValue, subject: request.supplierId,
                                  detail: "document \(document.id): it \(verdict.words)")
        if let supplier = try await suppliers.get(id: request.supplierId)?.supplier {
            let data = AlertData.documentReceived(supplier: .init(supplier), documentId: document.id, requestId: request.id,
                                                  kind: file.kind, verdict: verdict, findings: filed.reading.findings)
            try await alerts.raise([.documentReceived(data)], at: now())
        }
        return Received(kind: file.kind, fileName: document.fileName, type: document.type, byteCount: document.byteCount,
                        sha256: document.sha256, at: document.uploadedAt)
    }
}
