import CertWatchCore
import CertWatchNotify
import CertWatchStore
import Foundation

/// Asking suppliers for their certificates: the one implementation the supplier page, the API
/// and `certwatch suppliers request-certificate` call. A request is opened per kind, a link is
/// issued, and the email goes out directly through the mailer, never through the outbox: the
/// token must not be stored anywhere but in the email.
public struct CertificateRequests: Sendable {
    /// Why nothing was requested; each says what to change.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case supplierNotFound(String)
        case notRequestable(DocumentKind)
        case badRecipient(String)
        case tooManyRecipients
        case noRecipients
        case noHandlerName
        case noPublicURL
        case noMail
        case alreadyOpen(CertificateRequestStore.AlreadyOpen)
        case emailFailed(String)

        public var description: String {
            switch self {
            case .supplierNotFound(let id): "there is no supplier \(id)"
            case .notRequestable(let kind): "a supplier can be asked for its organic certificate or a NOP Import Certificate, not \(kind.rawValue)"
            case .badRecipient(let text): "\"\(text)\" is not an email address"
            case .tooManyRecipients: "at most \(SupplierLimits.maxListCount) recipients"
            case .noRecipients: "the supplier has no addresses for certificate requests (supplierEmails); add one, or name the recipients"
            case .noHandlerName: "requests.handlerName is not set: a supplier must be told which company asks"
            case .noPublicURL: "http.publicUrl is not set: a supplier cannot open a link to this server's own address"
            case .noMail: "email is not configured (smtp.url); ask again to be shown the link and send it yourself"
            case .alreadyOpen(let open): open.description
            case .emailFailed(let why): "the email could not be sent (\(why)); the request was closed as unsent, ask again"
            }
        }
    }

    /// What a request did: the requests opened, to whom they were emailed (none when the link
    /// was only shown), the link when it was asked to be shown, and why the email failed when
    /// it did and the link was shown instead.
    public struct Sent: Sendable {
        public var requests: [CertificateRequest]
        public var emailedTo: [String]
        public var link: String?
        public var emailError: String?
    }

    public let store: CertificateRequestStore
    let suppliers: SupplierStore
    let activity: ActivityLog
    let mailer: SMTPMailer?
    public let settings: RequestSettings
    /// `http.publicUrl`: emailed links need an address the supplier can reach.
    let publicURL: String?
    /// Where the page is (the public URL, else the listening address), for links shown to staff.
    let pageURL: String
    let now: @Sendable () -> Date

    public init(database: Database, settings: RequestSettings, mailer: SMTPMailer?, publicURL: String?, pageURL: String,
                now: @escaping @Sendable () -> Date = { Date() }) {
        store = CertificateRequestStore(database: database, now: now)
        suppliers = SupplierStore(database: database, now: now)
        activity = ActivityLog(database: database, now: now)
        self.mailer = mailer
        self.settings = settings
        self.publicURL = publicURL
        self.pageURL = pageURL
        self.now = now
    }

    /// Asks the supplier for `kinds` (by default what `CertificateRequest.kinds(for:)` says),
    /// emailing `recipients` (by default its `supplierEmails`). With `showLink` the link is
    /// returned too, and email is optional: staff may send it themselves.
    public func request(supplierId: String, kinds: [DocumentKind]? = nil, recipients: [String]? = nil, by actor: String,
                        showLink: Bool = false) async throws -> Sent {
        guard let supplier = try await suppliers.get(id: supplierId)?.supplier else { throw Refusal.supplierNotFound(supplierId) }
        let asked = try Self.kinds(kinds ?? CertificateRequest.kinds(for: supplier))
        let to = try Self.recipients(recipients ?? supplier.supplierEmails)
        guard let handlerName = settings.handlerName else { throw Refusal.noHandlerName }
        let emailing = !to.isEmpty && mailer != nil && publicURL != nil
        if !emailing && !showLink {
            throw to.isEmpty ? Refusal.noRecipients : (mailer == nil ? Refusal.noMail : Refusal.noPublicURL)
        }
        let requests: [CertificateRequest]
        let token: String
        do {
            (requests, token) = try await store.open(supplierId: supplierId, kinds: asked, recipients: emailing ? to : [], origin: .manual,
                                                     by: actor, lifetime: settings.lifetime)
        } catch let open as CertificateRequestStore.AlreadyOpen {
            throw Refusal.alreadyOpen(open)
        }
        try await activity.append(actor: actor, action: CertificateRequest.Event.opened.rawValue, subject: supplierId,
                                  detail: requests.map { "\($0.kind.rawValue) \($0.id)" }.joined(separator: ", "))
        let link = Self.link(base: emailing ? publicURL ?? pageURL : pageURL, token: token)
        guard emailing, let mailer else {
            try await activity.append(actor: actor, action: CertificateRequest.Event.linkShown.rawValue, subject: supplierId,
                                      detail: "the link was shown to \(actor)")
            return Sent(requests: requests, emailedTo: [], link: link)
        }
        if let why = await email(requests, of: supplier, to: to, link: link, handlerName: handlerName, mailer: mailer) {
            try await activity.append(actor: actor, action: CertificateRequest.Event.emailFailed.rawValue, subject: supplierId, detail: why)
            guard showLink else {
                try await store.deleteLink(token: token)
                for request in requests { _ = try await store.close(id: request.id, as: .unsent, by: "certwatch") }
                throw Refusal.emailFailed(why)
            }
            return Sent(requests: requests, emailedTo: [], link: link, emailError: why)
        }
        try await recordEmail(requests, to: to, by: actor)
        return Sent(requests: requests.map { var sent = $0; sent.emailsSent += 1; return sent }, emailedTo: to,
                    link: showLink ? link : nil)
    }

    /// Sends one email for these open requests of one supplier (the first, or a reminder when
    /// one was sent before); why it failed, or nil when the mail server took it.
    func email(_ requests: [CertificateRequest], of supplier: Supplier, to recipients: [String], link: String, handlerName: String,
               mailer: SMTPMailer) async -> String? {
        let mail = CertificateRequestMail(handlerName: handlerName, supplierName: supplier.name, kinds: requests.map(\.kind), link: link,
                                          expiresAt: requests.map(\.expiresAt).max() ?? now(),
                                          reminder: requests.contains { $0.emailsSent > 0 })
        let result = await mailer.send([mail.message(from: mailer.settings.from, to: recipients)]).first ?? AttemptResult(error: "no answer")
        return result.succeeded ? nil : result.error ?? "the mail server answered \(result.status ?? 0)"
    }

    /// Counts a sent email on each request, sets its next reminder, and records it.
    func recordEmail(_ requests: [CertificateRequest], to recipients: [String], by actor: String) async throws {
        for request in requests {
            let next = CertificateRequestSchedule.nextEmail(createdAt: request.createdAt, emailsSent: request.emailsSent + 1,
                                                            reminderDays: settings.reminderDays, expiresAt: request.expiresAt)
            try await store.recordEmail(requestId: request.id, nextEmailAt: next)
        }
        let what: CertificateRequest.Event = requests.contains { $0.emailsSent > 0 } ? .reminded : .emailed
        try await activity.append(actor: actor, action: what.rawValue, subject: requests.first?.supplierId,
                                  detail: requests.map(\.kind.rawValue).joined(separator: ", ") + " to " + recipients.joined(separator: ", "))
    }

    /// Withdraws an open request: its links stop working. Nil when it is unknown or closed.
    public func withdraw(id: String, by actor: String) async throws -> CertificateRequest? {
        guard let request = try await store.close(id: id, by: actor) else { return nil }
        try await activity.append(actor: actor, action: CertificateRequest.Event.withdrawn.rawValue, subject: request.supplierId,
                                  detail: "\(request.kind.rawValue) \(request.id)")
        return request
    }

    public func list(supplierId: String) async throws -> [CertificateRequest] {
        try await store.list(supplierId: supplierId)
    }

    static func link(base: String, token: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/upload/" + token
    }

    private static func kinds(_ kinds: [DocumentKind]) throws(Refusal) -> [DocumentKind] {
        var unique: [DocumentKind] = []
        for kind in kinds where !unique.contains(kind) {
            guard CertificateRequest.requestableKinds.contains(kind) else { throw .notRequestable(kind) }
            unique.append(kind)
        }
        guard !unique.isEmpty else { throw .notRequestable(.other) }
        return unique
    }

    private static func recipients(_ addresses: [String]) throws(Refusal) -> [String] {
        var unique: [String] = []
        for address in addresses where !unique.contains(address) {
            guard address.unicodeScalars.count <= 254, EmailAddress.isContactAddress(address) else { throw .badRecipient(address) }
            unique.append(address)
        }
        guard unique.count <= SupplierLimits.maxListCount else { throw .tooManyRecipients }
        return unique
    }
}
