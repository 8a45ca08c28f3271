import ArgumentParser
import CertWatchCore
import CertWatchDocuments
import CertWatchStore
import Foundation

/// `certwatch documents add SUPPLIER FILE --kind KIND`, `list SUPPLIER` and `delete ID`.
struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents", abstract: "File certificates and other documents for a supplier (PDF, PNG, JPEG), kept in the database.",
        subcommands: [Add.self, List.self, Delete.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File a document; prints its id and SHA-256.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The supplier: NOP operation ID, id or exact name.") var supplier: String
        @Argument(help: "The file (its type is read from its bytes).") var file: String
        @Option(help: "organic_certificate, certificate_addendum, import_certificate or other.") var kind: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let kind = DocumentKind(rawValue: kind) else {
                throw CLIError("--kind must be one of \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            let document = try await options.withDatabase { database, settings in
                guard data.count <= settings.documentMaxBytes else {
                    throw CLIError("\(file) has \(data.count) bytes; documents.maxBytes allows \(settings.documentMaxBytes)")
                }
                let stored = try await resolve(supplier, database: database)
                do {
                    return try await DocumentReview(database: database).file(
                        supplierId: stored.supplier.id, kind: kind, fileName: URL(fileURLWithPath: file).lastPathComponent, bytes: Array(data),
                        uploadedBy: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")")
                } catch let refusal as DocumentStore.Refusal {
                    throw CLIError("\(file): \(refusal.description)")
                }
            }
            if json { return try Output.json(Filed(document: document.document, reading: document.reading)) }
            print("filed \(document.document.kind.rawValue) \(document.document.id) sha256 \(document.document.sha256)")
            switch document.reading.status {
            case .read where document.reading.findings.isEmpty: print("read and cross-checked: it agrees with the supplier's record")
            case .read: print("read and cross-checked; it disagrees with the supplier's record:")
            case .noText, .notRead: print("not read: \(document.reading.detail ?? "")")
            }
            for finding in document.reading.findings { print("  \(finding.code.rawValue): \(finding.message)") }
        }
    }

    /// What `add --json` prints.
    struct Filed: Encodable {
        var document: StoredDocument
        var reading: DocumentReading
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A supplier's documents, newest first.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The supplier: NOP operation ID, id or exact name.") var supplier: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let documents = try await options.withDatabase { database, _ in
                try await DocumentStore(database: database).list(supplierId: try await resolve(supplier, database: database).supplier.id)
            }
            if json { return try Output.json(documents) }
            Output.table(["ID", "KIND", "FILE", "BYTES", "UPLOADED", "SHA256"], documents.map {
                [$0.id, $0.kind.rawValue, $0.fileName ?? "", String($0.byteCount), $0.uploadedAt.utcMinuteText, $0.sha256]
            })
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a document once it has been kept retention.years; before then it is refused with the day it may go.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The document's id.") var id: String

        func run() async throws {
            let outcome = try await options.withDatabase { database, settings in
                try await RetentionStore(database: database, period: settings.retention).deleteDocument(id: id)
            }
            switch outcome {
            case .deleted: print("deleted document \(id)")
            case .notFound: throw CLIError("no document \(id)")
            case .kept(let until): throw CLIError("document \(id) is kept for the retention period (retention.years); it may be deleted from \(until)")
            }
        }
    }
}
