import Foundation

/// An email as it goes on the wire: RFC 5322 headers, a UTF-8 subject as RFC 2047 encoded
/// words, and a multipart/alternative body with a plain-text and an HTML part, so every mail
/// client shows something readable.
public struct EmailMessage: Sendable, Equatable {
    public var from: String
    public var fromName: String?
    public var to: [String]
    public var subject: String
    public var text: String
    public var html: String
    public var date: Date
    /// Without angle brackets.
    public var messageID: String

    public init(from: String, fromName: String? = "CertWatch", to: [String], subject: String, text: String, html: String,
                date: Date = Date(), messageID: String? = nil) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID ?? Self.makeMessageID(from: from)
    }

    /// A unique id on the sender's domain, as RFC 5322 asks.
    public static func makeMessageID(from address: String) -> String {
        let domain = address.split(separator: "@").last.map(String.init) ?? "certwatch.invalid"
        let random = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return "\(random)@\(domain)"
    }

    /// The whole message with CRLF line ends.
    public func rendered() -> String {
        let boundary = "=_certwatch_" + (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        var lines = [
            "Date: " + Self.rfc5322Date(date),
            Self.fromHeader(name: fromName, address: from),
            "To: " + to.joined(separator: ",\r\n "),
            "Subject: " + Self.encodedWords(subject, quotingASCII: false),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"",
            "",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines.append(Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))
        }
        lines += ["--\(boundary)--", ""]
        return lines.joined(separator: "\r\n")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return format.string(from: date)
    }

    /// Plain ASCII stays as it is (display names quoted); anything else becomes `=?UTF-8?B?…?=`
    /// words of at most 75 characters, never splitting a character, folded onto new lines. The
    /// first word is shorter so that it fits after the header's name.
    static func encodedWords(_ text: String, quotingASCII: Bool) -> String {
        let printable = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }
        if printable && text.count <= 60 {
            return quotingASCII ? "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : text
        }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > (words.isEmpty ? 30 : 45) {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `From: Name <address>`, the address on a folded line of its own when a long name leaves no
    /// room for it.
    static func fromHeader(name: String?, address: String) -> String {
        guard let name else { return "From: " + address }
        let display = "From: " + encodedWords(name, quotingASCII: true)
        let lastLine = display.components(separatedBy: "\r\n").last ?? display
        return display + (lastLine.utf8.count + address.utf8.count + 3 > 78 ? "\r\n <" : " <") + address + ">"
    }
}
