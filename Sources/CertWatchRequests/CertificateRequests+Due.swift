import CertWatchCore
import CertWatchNotify
import CertWatchStore
import Foundation

/// The `certificate-requests` job: what is due without anyone asking. Requests past their time
/// expire; a supplier with addresses for requests is asked by itself once per governing date as
/// that date comes within `requests.autoWithinDays`; and an unanswered request is emailed again
/// on `requests.reminderDays`. Each email carries a new link (the old ones keep working: only
/// their hashes are stored, so none can be sent again). The scheduler's claim runs it once across
/// replicas, and each email is claimed on its own as well, so a request asked by hand at the same
/// moment is not mailed twice.
extension CertificateRequests {
    /// What one run did.
    public struct DueRun: Sendable, Equatable {
        public var expired = 0
        public var asked = 0
        public var reminded = 0
        public var failed = 0

        public var counts: [String: Int] { ["expired": expired, "asked": asked, "reminded": reminded, "failed": failed] }
    }

    public func runDue() async throws -> DueRun {
        var run = DueRun()
        for request in try await store.expireDue() {
            try await activity.append(actor: "certwatch", action: CertificateRequest.Event.expired.rawValue, subject: request.supplierId,
                                      detail: "\(request.kind.rawValue) \(request.id)")
            run.expired += 1
        }
        // Without these nothing can be sent; manual requests say which is missing.
        guard let handlerName = settings.handlerName, let mailer, let publicURL else { return run }
        let sending = Sending(handlerName: handlerName, mailer: mailer, publicURL: publicURL)
        if settings.autoWithinDays > 0 { try await askLapsing(sending, into: &run) }
        try await remind(sending, into: &run)
        return run
    }

    struct Sending {
        var handlerName: String
        var mailer: SMTPMailer
        var publicURL: String
    }

    /// Opens a request for each certified supplier with addresses whose governing date is within
    /// `requests.autoWithinDays`, unless one is open or this date was asked about before. Its
    /// first email is then due at once, and goes out with the reminders below.
    private func askLapsing(_ sending: Sending, into run: inout DueRun) async throws {
        let through = CalendarDate(utc: now()).adding(days: settings.autoWithinDays)
        let lapsing = try await suppliers.lapsing(through: through)
        let governing = Dictionary(lapsing.map { ($0.supplierId, $0.governing.date) }, uniquingKeysWith: { first, _ in first })
        for stored in try await suppliers.get(ids: lapsing.map(\.supplierId)) where !stored.supplier.supplierEmails.isEmpty {
            let supplier = stored.supplier
            guard let date = governing[supplier.id] else { continue }
            do {
                let (requests, token) = try await store.open(
                    supplierId: supplier.id, kinds: [.organicCertificate], recipients: supplier.supplierEmails, origin: .window,
                    by: "certwatch", lifetime: settings.lifetime, autoKey: "window|\(supplier.id)|\(date)")
                try await store.deleteLink(token: token)  // the email below makes its own
                try await store.scheduleFirstEmail(requestIds: requests.map(\.id), at: now())
                try await activity.append(actor: "certwatch", action: CertificateRequest.Event.opened.rawValue, subject: supplier.id,
                                          detail: "organic_certificate \(requests.map(\.id).joined()): the governing date \(date) is near")
                run.asked += 1
            } catch is CertificateRequestStore.AlreadyOpen {
                continue
            } catch is CertificateRequestStore.AlreadyAsked {
                continue
            }
        }
    }

    /// Sends every email that is due, one per supplier for its due requests.
    private func remind(_ sending: Sending, into run: inout DueRun) async throws {
        let due = try await store.due(at: now())
        for (supplierId, requests) in Dictionary(grouping: due, by: \.supplierId).sorted(by: { $0.key < $1.key }) {
            var claimed: [CertificateRequest] = []
            let at = now()
            for request in requests
            where try await store.claimEmail(requestId: request.id, at: at, retryAt: at.addingTimeInterval(RequestSettings.retryAfterFailure)) {
                claimed.append(request)
            }
            guard !claimed.isEmpty, let supplier = try await suppliers.get(id: supplierId)?.supplier else { continue }
            let recipients = claimed.first?.recipients.isEmpty == false ? claimed[0].recipients : supplier.supplierEmails
            guard !recipients.isEmpty else { continue }
            let token = try await store.issueLink(for: claimed)
            let link = Self.link(base: sending.publicURL, token: token)
            if let why = await email(claimed, of: supplier, to: recipients, link: link, handlerName: sending.handlerName, mailer: sending.mailer) {
                try await store.deleteLink(token: token)
                try await activity.append(actor: "certwatch", action: CertificateRequest.Event.emailFailed.rawValue, subject: supplierId,
                                          detail: "\(why); tried again in an hour")
                run.failed += 1
                continue
            }
            try await recordEmail(claimed, to: recipients, by: "certwatch")
            if claimed.contains(where: { $0.emailsSent > 0 }) { run.reminded += 1 }
        }
    }
}
