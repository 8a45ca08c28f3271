import Foundation

/// One disagreement between a certificate on file and what CertWatch knows of the supplier.
public struct DocumentFinding: Hashable, Sendable, Codable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The text could not be read (a scan, an image): it is checked by hand.
        case noTextFound = "no_text_found"
        /// Reading stopped (too slow, too much memory, a broken file): checked by hand.
        case notRead = "not_read"
        case nopIdMissing = "nop_id_missing"
        case nopIdDiffers = "nop_id_differs"
        /// The paper's NOP ID is another supplier's in the registry, or another operation's in INTEGRITY.
        case nopIdOfAnotherOperation = "nop_id_of_another_operation"
        case nameNotFound = "name_not_found"
        case certifierNotFound = "certifier_not_found"
        case anniversaryDiffers = "anniversary_differs"
        case productNotListed = "product_not_listed"
        /// A NOP notice of a fraudulent certificate names the paper's NOP ID, number or operation.
        case fraudNotice = "fraud_notice"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Compares a certificate's text with the supplier's record (kept up to date by INTEGRITY):
/// pure, so every finding is tested without a file or a database.
public enum CertificateCrossCheck {
    /// What else the registry and INTEGRITY's directory know about a NOP ID on the paper.
    public struct OtherOperation: Sendable, Equatable {
        public var nopOperationId: String
        public var name: String

        public init(nopOperationId: String, name: String) {
            self.nopOperationId = nopOperationId
            self.name = name
        }
    }

    public static func findings(_ paper: CertificateText, supplier: Supplier, otherOperations: [OtherOperation],
                                notices: [FraudNotice] = []) -> [DocumentFinding] {
        var findings: [DocumentFinding] = []
        // The text's words without legal-form words, as names are compared.
        let folded = fold(paper.text).filter { !legalSuffixes.contains($0) }
        if let nop = supplier.nopOperationId?.rawValue {
            if paper.nopOperationIds.isEmpty {
                findings.append(.init(.nopIdMissing, "No NOP ID was found on the document; the supplier's is \(nop)."))
            } else if !paper.nopOperationIds.contains(nop) {
                let shown = paper.nopOperationIds.prefix(3).joined(separator: ", ")
                if let other = otherOperations.first(where: { paper.nopOperationIds.contains($0.nopOperationId) }) {
                    findings.append(.init(.nopIdOfAnotherOperation,
                        "The document's NOP ID \(other.nopOperationId) belongs to another operation, \(other.name); the supplier's is \(nop)."))
                } else {
                    findings.append(.init(.nopIdDiffers, "The document shows NOP ID \(shown); the supplier's is \(nop)."))
                }
            }
        }
        let names = [supplier.name] + supplier.otherNames
        if !names.contains(where: { appears(legalName($0), in: folded) }) {
            findings.append(.init(.nameNotFound, "Neither \(names.map { "“\($0)”" }.joined(separator: " nor ")) appears on the document."))
        }
        if let certifier = supplier.certifier, !appears(legalName(certifier), in: folded) {
            findings.append(.init(.certifierNotFound, "The certifier “\(certifier)” does not appear on the document."))
        }
        if let recorded = supplier.certificate?.anniversaryDate, let written = paper.anniversaryDate, written != recorded {
            findings.append(.init(.anniversaryDiffers, "The document's anniversary date is \(written); INTEGRITY's is \(recorded)."))
        }
        if let items = supplier.certificate?.items, !items.isEmpty {
            let matcher = ProductMatcher(items: items)
            for product in paper.products {
                if case .notListed = matcher.match(product) {
                    findings.append(.init(.productNotListed, "“\(product)” is on the document but not among the certified products INTEGRITY lists."))
                }
            }
        }
        guard !notices.isEmpty else { return findings }
        // Identifiers as written, one per whitespace-separated token ("C-815", "4920007290").
        let ids = Set(paper.text.split(whereSeparator: \.isWhitespace).map { FraudNotice.identifierKey(String($0)) })
        for notice in notices where notice.identifier.map({ ids.contains(FraudNotice.identifierKey($0)) }) ?? false
            || appears(legalName(notice.operationName), in: folded) {
            findings.append(.init(.fraudNotice, notice.sentence))
        }
        return findings
    }

    /// Legal-form words that a name may carry or drop ("Valle Verde S.A. de C.V." is "Valle Verde").
    static let legalSuffixes: Set<String> = [
        "llc", "inc", "incorporated", "ltd", "limited", "co", "corp", "corporation", "company", "sa", "de", "cv", "sac", "srl",
        "sl", "spa", "gmbh", "ag", "bv", "nv", "plc", "lp", "llp", "eg", "kg", "sas", "the",
    ]

    /// A name's words with case, accents, punctuation and legal-form words dropped.
    static func legalName(_ name: String) -> [String] {
        let words = fold(name)
        let kept = words.filter { !legalSuffixes.contains($0) }
        return kept.isEmpty ? words : kept
    }

    /// The words of `text` with case and accents folded, and dots dropped ("S.A." is "sa").
    static func fold(_ text: String) -> [String] {
        text.utf8.allSatisfy { $0 < 0x80 } ? foldASCII(text) : foldUnicode(text)
    }

    /// Foundation's folding, for any text.
    static func foldUnicode(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: ".", with: "")
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// The same words for ASCII text (most names), byte by byte: Foundation's folding on Linux
    /// took most of the time of matching NOP's fraud notices against 100,000 suppliers.
    static func foldASCII(_ text: String) -> [String] {
        var words: [String] = [], word: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "."): continue
            default:
                if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// Whether `words` occur in `text` in order and next to each other.
    static func appears(_ words: [String], in text: [String]) -> Bool {
        guard !words.isEmpty, words.count <= text.count else { return false }
        return (0...(text.count - words.count)).contains { start in Array(text[start..<start + words.count]) == words }
    }
}
