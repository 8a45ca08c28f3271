import Foundation

/// Recognises an HTML page where data was expected (an error page, a login wall, a WCF "Request
/// Error") and says what it was, so a refusal names the page, not just "not JSON".
enum HTMLPage {
    /// True when the bytes start (after a byte-order mark and whitespace) like an HTML document.
    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
            .drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || (head.hasPrefix("<") && head.contains("<html"))
    }

    /// `“Request Error”: The server encountered an error processing the request. …` — the page's
    /// title and the start of its text; nil when the bytes are not an HTML page.
    static func summary(_ bytes: [UInt8]) -> String? {
        guard looksLikeHTML(bytes) else { return nil }
        let page = String(decoding: bytes.prefix(64 << 10), as: UTF8.self)
        let title = firstMatch(#"(?is)<title[^>]*>(.*?)</title>"#, in: page).map(collapse)
        var text = replacing(#"(?is)<(head|style|script)[^>]*>.*?</\1>"#, in: page, with: " ")
        text = collapse(replacing(#"(?s)<[^>]*>"#, in: text, with: " "))
        if let title, text.hasPrefix(title) { text = String(text.dropFirst(title.count)).trimmingCharacters(in: .whitespaces) }
        let shown = text.count > 240 ? String(text.prefix(240)) + "…" : text
        return [title.map { "“\($0)”" }, shown.isEmpty ? nil : shown].compactMap { $0 }.joined(separator: ": ")
    }

    private static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    private static func replacing(_ pattern: String, in text: String, with replacement: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: replacement)
    }

    private static func collapse(_ text: String) -> String {
        text.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
