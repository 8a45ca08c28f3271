import CertWatchCore
import CertWatchRequests
import Foundation
import Hummingbird

/// Certificate requests from the supplier's page (admins): ask, and withdraw. The same
/// `CertificateRequests` as the API and the CLI; the page shows what happened as its notice.
extension SupplierPages {
    struct RequestForm: PostedForm {
        var csrf: String?
        var organicCertificate: String?
        var importCertificate: String?
        /// Addresses separated by `;` or `,`; empty: the supplier's own addresses.
        var recipients: String?
        var showLink: String?

        var kinds: [DocumentKind] {
            (organicCertificate != nil ? [.organicCertificate] : []) + (importCertificate != nil ? [.importCertificate] : [])
        }

        var recipientList: [String]? {
            let list = (recipients ?? "").split(whereSeparator: { $0 == ";" || $0 == "," })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return list.isEmpty ? nil : list
        }
    }

    @Sendable func requestCertificate(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let form = try await Forms.decode(RequestForm.self, request, page)
        let id = try page.parameters.require("id")
        guard !form.kinds.isEmpty else {
            return try await render(page, id: id, notice: "Choose what to ask for. Nothing was sent.", status: .unprocessableContent)
        }
        do {
            let sent = try await context.deps.certificateRequests.request(
                supplierId: id, kinds: form.kinds, recipients: form.recipientList, by: try page.signedIn.actor, showLink: form.showLink != nil)
            var notice = sent.emailedTo.isEmpty
                ? "The request is open; nothing was emailed."
                : "The request was emailed to \(sent.emailedTo.joined(separator: ", "))."
            if let why = sent.emailError { notice = "The email could not be sent (\(why)); the request is open." }
            if let link = sent.link { notice += " The link, to send yourself (it is shown only now): \(link)" }
            return try await render(page, id: id, notice: notice, status: .created)
        } catch let refusal as CertificateRequests.Refusal {
            if case .supplierNotFound = refusal { throw PageError.notFound("supplier \(id)") }
            return try await render(page, id: id, notice: Formatting.sentence(refusal.description) + " Nothing was sent.",
                                    status: Self.status(of: refusal))
        }
    }

    @Sendable func withdrawRequest(_ request: Request, context page: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let id = try page.parameters.require("id")
        let requests = context.deps.certificateRequests
        if let withdrawn = try await requests.withdraw(id: id, by: try page.signedIn.actor) {
            return try await render(page, id: withdrawn.supplierId, notice: "The request for the \(withdrawn.kind.words) was withdrawn; its links no longer work.")
        }
        guard let existing = try await requests.store.get(id: id) else { throw PageError.notFound("certificate request \(id)") }
        return try await render(page, id: existing.supplierId, notice: "That request is already \(existing.state.rawValue).", status: .conflict)
    }

    static func status(of refusal: CertificateRequests.Refusal) -> HTTPResponse.Status {
        switch refusal {
        case .alreadyOpen, .noHandlerName, .noPublicURL, .noMail: .conflict
        case .emailFailed: .badGateway
        case .supplierNotFound: .notFound
        case .notRequestable, .badRecipient, .tooManyRecipients, .noRecipients: .unprocessableContent
        }
    }
}
