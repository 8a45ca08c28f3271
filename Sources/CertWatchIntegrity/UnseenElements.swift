import CertWatchCore
import Crypto
import Logging
import Synchronization

/// Element names in web-service answers that this adapter does not know
/// (`WebServiceVocabulary.knownElements`), each logged once per process with the SHA-256 of the
/// answer it came in. Only a notebook's print of one real `Items` answer is public, so the first
/// real answer an operator's replica receives settles the contract: its log says what arrived.
enum UnseenElements {
    private static let logged = Mutex<Set<String>>([])

    /// Logs the names below `root` that are unknown and not logged yet; returns them.
    @discardableResult
    static func note(_ root: AnswerNode, route: String, bytes: [UInt8], logger: Logger) -> [String] {
        let unknown = root.descendantNames.subtracting(WebServiceVocabulary.knownElements)
        guard !unknown.isEmpty else { return [] }
        let fresh = logged.withLock { seen in unknown.filter { seen.insert($0).inserted } }.sorted()
        guard !fresh.isEmpty else { return [] }
        let digest = SHA256.hash(data: bytes).hexString
        for name in fresh {
            logger.notice("INTEGRITY's answer holds an element this adapter has not seen before", metadata: [
                "element": "\(name)", "route": "\(route)", "answerSHA256": "\(digest)",
            ])
        }
        return fresh
    }
}
