/// The status INTEGRITY gives an operation (`op_status`), a scope (`opSC_CR` …) or an item (`ci_status`).
///
/// Real data holds values outside the data dictionary ("Applied; APEDA Certified"): those become
/// `.other` with the text kept, so an unknown status is stored and shown, never a crash, and never
/// mistaken for "Certified".
public enum CertificationStatus: Hashable, Sendable {
    case certified
    case surrendered
    case suspended
    case revoked
    case transitional
    case deniedCertification
    case withdrewWithNONC
    case withdrewFromTransitional
    case other(String)

    /// The known statuses, in the order INTEGRITY's data dictionary lists them.
    public static let known: [CertificationStatus] = [
        .certified, .surrendered, .suspended, .revoked, .transitional,
        .deniedCertification, .withdrewWithNONC, .withdrewFromTransitional,
    ]

    /// The stable code used in JSON, CSV and the database (`certified`, `denied_certification`, `other`).
    public var code: String {
        switch self {
        case .certified: "certified"
        case .surrendered: "surrendered"
        case .suspended: "suspended"
        case .revoked: "revoked"
        case .transitional: "transitional"
        case .deniedCertification: "denied_certification"
        case .withdrewWithNONC: "withdrew_with_nonc"
        case .withdrewFromTransitional: "withdrew_from_transitional"
        case .other: "other"
        }
    }

    /// The wording INTEGRITY uses, or the raw text of an unknown status.
    public var text: String {
        switch self {
        case .certified: "Certified"
        case .surrendered: "Surrendered"
        case .suspended: "Suspended"
        case .revoked: "Revoked"
        case .transitional: "Transitional"
        case .deniedCertification: "Denied Certification"
        case .withdrewWithNONC: "Withdrew with NONC"
        case .withdrewFromTransitional: "Withdrew from Transitional"
        case .other(let raw): raw
        }
    }

    /// Reads a code (`suspended`) or INTEGRITY's wording (`Suspended`), case-insensitively.
    /// Returns nil for anything else: callers decide whether that is an error or `.other`.
    public init?(codeOrText: String) {
        // Exact wording first: bulk answers repeat "Certified" a million times.
        if let exact = Self.byExactText[codeOrText] {
            self = exact
            return
        }
        let wanted = codeOrText.trimmingWhitespace().lowercased()
        guard let match = CertificationStatus.known.first(where: {
            $0.code == wanted || $0.text.lowercased() == wanted
        }) else { return nil }
        self = match
    }

    private static let byExactText: [String: CertificationStatus] = Dictionary(
        uniqueKeysWithValues: known.map { ($0.text, $0) } + known.filter { $0.code != $0.text }.map { ($0.code, $0) })

    /// Reads a status as INTEGRITY writes it: a known wording, or `.other` with the text as
    /// written (trimmed). Real data holds such statuses; they are recorded, never refused.
    public init(integrity text: String) {
        self = CertificationStatus(codeOrText: text) ?? .other(text.trimmingWhitespace())
    }

    /// False for `.other`: a status outside INTEGRITY's data dictionary.
    public var isKnown: Bool {
        if case .other = self { return false }
        return true
    }

    /// Rebuilds a stored status from its code and text; an `other` keeps its text.
    public init(code: String, text: String) {
        self = CertificationStatus(codeOrText: code) ?? .other(text)
    }
}
