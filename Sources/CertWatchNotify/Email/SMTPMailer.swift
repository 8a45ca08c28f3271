import CCurl
import CertWatchCore
import Foundation

/// Sends email over SMTP with libcurl: STARTTLS or implicit TLS, optional AUTH, a private CA.
/// A batch goes over one connection (libcurl keeps it open between messages), and the blocking
/// libcurl calls run on a dispatch queue, never on the caller's executor.
public final class SMTPMailer: Sendable {
    public let settings: SMTPSettings
    private let queue = DispatchQueue(label: "certwatch.smtp")

    /// libcurl's global set-up is not thread-safe; it runs once, before the first handle.
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    /// Sends each message and says, per message, what happened: a 5xx answer is permanent, a
    /// refused connection or a timeout is worth retrying.
    public func send(_ messages: [EmailMessage]) async -> [AttemptResult] {
        guard !messages.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.sendBlocking(messages)) }
        }
    }

    private func sendBlocking(_ messages: [EmailMessage]) -> [AttemptResult] {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else {
            return messages.map { _ in AttemptResult(error: "libcurl could not start a session") }
        }
        defer { curl_easy_cleanup(handle) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        configure(handle, errorBuffer: errorBuffer)
        var results: [AttemptResult] = []
        var serverFailure: AttemptResult?
        for message in messages {
            if let serverFailure {
                results.append(serverFailure)
                continue
            }
            let (code, result) = send(message, handle: handle, errorBuffer: errorBuffer)
            if Self.serverFailures.contains(code) { serverFailure = result }
            results.append(result)
        }
        return results
    }

    /// Failures that are about the server, not the message: the rest of the batch would fail
    /// the same way, each after its own timeout, so it is not tried.
    private static let serverFailures = [
        CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_SSL_CONNECT_ERROR,
        CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_USE_SSL_FAILED, CURLE_LOGIN_DENIED,
    ]

    private func send(_ message: EmailMessage, handle: UnsafeMutableRawPointer,
                      errorBuffer: UnsafeMutablePointer<CChar>) -> (CURLcode, AttemptResult) {
        errorBuffer[0] = 0
        let payload = Payload(message.rendered())
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in message.to { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        _ = cw_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(message.from)>")
        _ = cw_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        _ = cw_curl_setopt_long(handle, CURLOPT_INFILESIZE, payload.count)
        _ = cw_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(payload).toOpaque())
        let code = withExtendedLifetime(payload) { curl_easy_perform(handle) }
        var response = 0
        _ = cw_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        guard code != CURLE_OK else { return (code, AttemptResult(status: response > 0 ? response : 250)) }
        var detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        if code == CURLE_USE_SSL_FAILED, settings.username != nil, settings.startTLS == .opportunistic {
            detail += "; the server offers no STARTTLS, and CertWatch does not send the SMTP password without TLS (set smtp.starttls: off to send it in clear anyway)"
        }
        return (code, AttemptResult(status: response > 0 ? response : nil,
                                    error: "SMTP delivery to \(settings.url) failed: \(detail) (curl \(code.rawValue))",
                                    permanent: Self.isPermanent(code, response: response)))
    }

    /// A 5xx answer to the message (a recipient refused, the message too large) will not change;
    /// a refused login or a demand for TLS is the operator's settings, fixed without resending.
    private static func isPermanent(_ code: CURLcode, response: Int) -> Bool {
        (500..<600).contains(response) && code != CURLE_LOGIN_DENIED && response != 530 && response != 535
    }

    private func configure(_ handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>) {
        _ = cw_curl_setopt_string(handle, CURLOPT_URL, settings.url)
        _ = cw_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        _ = cw_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = cw_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, min(10, settings.timeoutSeconds))
        _ = cw_curl_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeoutSeconds)
        _ = cw_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = cw_curl_setopt_read_callback(handle) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            return Unmanaged<Payload>.fromOpaque(userdata).takeUnretainedValue().read(into: buffer, max: size * count)
        }
        let tls: curl_usessl = switch settings.effectiveStartTLS {
        case .required: CURLUSESSL_ALL
        case .opportunistic: CURLUSESSL_TRY
        case .off: CURLUSESSL_NONE
        }
        _ = cw_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue))
        if let caFile = settings.caFile { _ = cw_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let username = settings.username { _ = cw_curl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = settings.password { _ = cw_curl_setopt_string(handle, CURLOPT_PASSWORD, password) }
    }
}

/// The message bytes libcurl reads from, a piece at a time.
private final class Payload {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var count: Int { bytes.count }

    func read(into buffer: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        let length = min(max, bytes.count - offset)
        guard length > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: length)
        }
        offset += length
        return length
    }
}
