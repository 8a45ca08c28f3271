import ArgumentParser
import CertWatchCore
import CertWatchRequests
import CertWatchServer
import CertWatchStore
import Foundation

/// `certwatch suppliers request-certificate`, `requests` and `withdraw-request`: the certificate
/// requests the supplier page and `/v1/suppliers/{id}/certificate-requests` make, from the shell.
extension SuppliersCommand {
    struct RequestCertificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request-certificate",
            abstract: "Email the supplier a link to send its certificate (the organic certificate; an importer's NOP Import Certificate too).",
            discussion: "Needs requests.handlerName, smtp.url and http.publicUrl, or --print-link to send the link yourself.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The supplier: its id, NOP ID or exact name.") var supplier: String
        @Option(name: .customLong("kind"), help: "organic_certificate or import_certificate (repeatable; default: what the supplier owes).")
        var kinds: [String] = []
        @Option(name: .customLong("to"), help: "An address to send to (repeatable; default: the supplier's supplierEmails).")
        var recipients: [String] = []
        @Flag(name: .customLong("print-link"), help: "Print the link (shown only now), e.g. to send it yourself.") var printLink = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            for kind in kinds where !CertificateRequest.requestableKinds.map(\.rawValue).contains(kind) {
                throw ValidationError("--kind \(kind): expected organic_certificate or import_certificate")
            }
        }

        struct Report: Encodable {
            var requests: [CertificateRequest]
            var emailedTo: [String]
            var link: String?
            var emailError: String?
        }

        func run() async throws {
            let sent = try await options.withDependencies { deps, _ in
                let stored = try await resolve(supplier, database: deps.database)
                do {
                    return try await deps.certificateRequests.request(
                        supplierId: stored.supplier.id, kinds: kinds.isEmpty ? nil : kinds.compactMap(DocumentKind.init(rawValue:)),
                        recipients: recipients.isEmpty ? nil : recipients, by: UsersCommand.actor, showLink: printLink)
                } catch let refusal as CertificateRequests.Refusal {
                    throw CLIError(refusal.description)
                }
            }
            if json { return try Output.json(Report(requests: sent.requests, emailedTo: sent.emailedTo, link: sent.link, emailError: sent.emailError)) }
            for request in sent.requests { print("opened \(request.id): \(request.kind.words), works until \(request.expiresAt.utcMinuteText)") }
            print(sent.emailedTo.isEmpty ? "nothing was emailed" + (sent.emailError.map { " (the email failed: \($0))" } ?? "")
                  : "emailed to \(sent.emailedTo.joined(separator: ", "))")
            if let link = sent.link { print("link: \(link)") }
        }
    }

    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The supplier's certificate requests, newest first.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The supplier: its id, NOP ID or exact name.") var supplier: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let requests = try await options.withDatabase { database, _ in
                let stored = try await resolve(supplier, database: database)
                return try await CertificateRequestStore(database: database).list(supplierId: stored.supplier.id)
            }
            if json { return try Output.json(requests) }
            Output.table(["ID", "KIND", "STATE", "OPENED", "EMAILS", "UNTIL", "DOCUMENT"], requests.map {
                [$0.id, $0.kind.rawValue, $0.state.rawValue, $0.createdAt.utcMinuteText, "\($0.emailsSent)", $0.expiresAt.utcMinuteText,
                 $0.documentId ?? ""]
            })
        }
    }

    struct WithdrawRequest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw-request", abstract: "Withdraw an open certificate request; its links stop working.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The request's id.") var id: String

        func run() async throws {
            try await options.withDependencies { deps, _ in
                if let withdrawn = try await deps.certificateRequests.withdraw(id: id, by: UsersCommand.actor) {
                    print("withdrew \(withdrawn.id) (\(withdrawn.kind.words))")
                    return
                }
                guard let existing = try await deps.certificateRequests.store.get(id: id) else { throw CLIError("no certificate request \(id)") }
                throw CLIError("certificate request \(id) is \(existing.state.rawValue); only an open request can be withdrawn")
            }
        }
    }
}
