import Foundation

/// A request to a supplier for a document: the organic certificate, and for an importer's
/// exporter the NOP Import Certificate. It is answered through a link emailed to the supplier's
/// own addresses (`Supplier.supplierEmails`), withdrawn by staff, or expires.
public struct CertificateRequest: Sendable, Equatable, Codable, Identifiable {
    /// What the supplier's history records about its requests: the `activity.action` of each entry.
    public enum Event: String, Sendable, CaseIterable {
        case opened = "certificate_request.opened"
        case emailed = "certificate_request.emailed"
        case reminded = "certificate_request.reminded"
        case linkShown = "certificate_request.link_shown"
        case emailFailed = "certificate_request.email_failed"
        case received = "certificate_request.received"
        case checked = "certificate_request.checked"
        case withdrawn = "certificate_request.withdrawn"
        case expired = "certificate_request.expired"

        /// As the supplier page says it: "link shown".
        public var words: String { rawValue.dropFirst("certificate_request.".count).replacingOccurrences(of: "_", with: " ") }
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case open
        case answered
        case withdrawn
        case expired
        /// Its email could not be sent: the supplier was asked nothing.
        case unsent
    }

    /// Who asked: a person (or key, or the CLI) by hand, or CertWatch as the certificate's date
    /// entered the alert window.
    public enum Origin: String, Sendable, Codable {
        case manual
        case window
    }

    public var id: String
    public var supplierId: String
    public var kind: DocumentKind
    public var state: State
    public var origin: Origin
    /// The supplier's addresses the request was sent to.
    public var recipients: [String]
    public var requestedBy: String
    public var createdAt: Date
    /// After this the request and its links no longer work.
    public var expiresAt: Date
    public var emailsSent: Int
    /// When the next email (a reminder, or a first one that failed) is due; nil when none is.
    public var nextEmailAt: Date?
    public var closedAt: Date?
    public var closedBy: String?
    /// The document that answered it.
    public var documentId: String?

    public init(id: String, supplierId: String, kind: DocumentKind, state: State, origin: Origin, recipients: [String],
                requestedBy: String, createdAt: Date, expiresAt: Date, emailsSent: Int = 0, nextEmailAt: Date? = nil,
                closedAt: Date? = nil, closedBy: String? = nil, documentId: String? = nil) {
        self.nextEmailAt = nextEmailAt
        self.id = id
        self.supplierId = supplierId
        self.kind = kind
        self.state = state
        self.origin = origin
        self.recipients = recipients
        self.requestedBy = requestedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.emailsSent = emailsSent
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.documentId = documentId
    }

    /// The kinds a supplier can be asked for: its organic certificate, and the NOP Import
    /// Certificate when purchases from it are imports (its exporter issues one per shipment).
    public static func kinds(for supplier: Supplier) -> [DocumentKind] {
        supplier.isImporter ? [.organicCertificate, .importCertificate] : [.organicCertificate]
    }

    /// The kinds a request may ask for at all.
    public static let requestableKinds: [DocumentKind] = [.organicCertificate, .importCertificate]

    /// Whether it can still be answered at `date`.
    public func isOpen(at date: Date) -> Bool {
        state == .open && expiresAt > date
    }
}
