/// What a document on file is, as the Strengthening Organic Enforcement rule names them.
public enum DocumentKind: String, CaseIterable, Sendable, Codable {
    case organicCertificate = "organic_certificate"
    /// A certificate's addendum or operation profile: the products and scopes it covers.
    case certificateAddendum = "certificate_addendum"
    case importCertificate = "import_certificate"
    case other

    /// The kind in words, as a request or a page names it.
    public var words: String {
        switch self {
        case .organicCertificate: "organic certificate"
        case .certificateAddendum: "certificate addendum or operation profile"
        case .importCertificate: "NOP Import Certificate"
        case .other: "document"
        }
    }
}

/// The file types a document may be, read from its first bytes, never from its name or the
/// type a client claims: an upload of anything else is refused.
public enum DocumentType: String, CaseIterable, Sendable, Codable {
    case pdf = "application/pdf"
    case png = "image/png"
    case jpeg = "image/jpeg"

    /// The type the bytes are, or nil.
    public init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) {
            self = .pdf
        } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else {
            return nil
        }
    }

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .png: "png"
        case .jpeg: "jpg"
        }
    }
}
