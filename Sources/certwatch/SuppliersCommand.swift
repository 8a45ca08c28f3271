import ArgumentParser
import CertWatchCore
import CertWatchStore
import Foundation

struct SuppliersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppliers", abstract: "Add, list, show and import suppliers.",
        subcommands: [Add.self, List.self, Show.self, Import.self, RequestCertificate.self, Requests.self, WithdrawRequest.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register one supplier.")
        @OptionGroup var options: GlobalOptions
        @Option var name: String
        @Option(name: .customLong("nop-id"), help: "INTEGRITY's 10-digit NOP operation ID.") var nopId: String?
        @Option var certifier: String?
        @Option var country: String?
        @Option(name: .customLong("email"), help: "A buyer contact for alerts (repeatable).") var emails: [String] = []
        @Option(name: .customLong("supplier-email"), help: "An address at the supplier for certificate requests (repeatable).")
        var supplierEmails: [String] = []
        @Option(name: .customLong("time-zone")) var timeZone: String?
        @Option(name: .customLong("tag"), help: "Repeatable.") var tags: [String] = []
        @Option(name: .customLong("other-name"), help: "Repeatable.") var otherNames: [String] = []
        @Option(help: "Certificate scheme: nop, eu or other.") var scheme: String?
        @Option(help: "Certificate status, e.g. certified.") var status: String?
        @Option(name: .customLong("anniversary-date"), help: "YYYY-MM-DD") var anniversaryDate: String?
        @Option(name: .customLong("valid-to"), help: "YYYY-MM-DD") var validTo: String?
        @Option(name: .customLong("product"), help: "scope:Item (Variety|Variety), repeatable.") var products: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var input = SupplierInput(
                name: name, otherNames: otherNames, nopOperationId: nopId, certifier: certifier, country: country,
                contactEmails: emails, supplierEmails: supplierEmails, timeZone: timeZone, tags: tags)
            if status != nil || scheme != nil || anniversaryDate != nil || validTo != nil || !products.isEmpty {
                let items = try products.map { entry in
                    switch CertifiedItemInput.parsing(entry) {
                    case .success(let item): return item
                    case .failure(let error): throw CLIError("--product: \(error.message)")
                    }
                }
                input.certificate = CertificateInput(
                    scheme: scheme, status: status, anniversaryDate: anniversaryDate, validTo: validTo, items: items)
            }
            let supplier: Supplier
            do {
                supplier = try input.validated(id: RecordID.make())
            } catch {
                throw CLIError(error.description)
            }
            let stored = try await options.withDatabase { database, _ in
                do { return try await SupplierStore(database: database).create(supplier) } catch let error as StoreError {
                    throw CLIError(error.description)
                }
            }
            if json { return try Output.json(SupplierSummary(stored)) }
            print("added \(stored.supplier.name) (\(stored.supplier.id))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List suppliers, filtered by status, text or tag.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "A status code such as suspended, or none.") var status: String?
        @Option(name: .customLong("search"), help: "Text in a name, other name or NOP ID.") var text: String?
        @Option var tag: String?
        @Option(help: "At most this many (all when omitted).") var limit: Int?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let suppliers = try await options.withDatabase { database, _ in
                let store = SupplierStore(database: database)
                var found: [StoredSupplier] = []
                var query = SupplierQuery(
                    status: status.map { CertificationStatus(codeOrText: $0)?.code ?? $0 }, text: text, tag: tag,
                    limit: min(limit ?? SupplierQuery.maxLimit, SupplierQuery.maxLimit))
                repeat {
                    let page = try await store.list(query)
                    found += page.items
                    query.cursor = page.nextCursor
                } while query.cursor != nil && found.count < (limit ?? .max)
                return Array(found.prefix(limit ?? .max))
            }
            if json { return try Output.json(suppliers.map(SupplierSummary.init)) }
            Output.table(["NAME", "NOP ID", "STATUS", "ANNIVERSARY", "VALID TO", "ID"], suppliers.map { s in
                let c = s.supplier.certificate
                return [s.supplier.name, s.supplier.nopOperationId?.rawValue ?? "-", c?.status.text ?? "-",
                        c?.anniversaryDate?.description ?? "-", c?.validTo?.description ?? "-", s.supplier.id]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one supplier by NOP ID, id or exact name.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "NOP operation ID, internal id or exact name.") var supplier: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let found = try await options.withDatabase { database, _ in try await resolve(supplier, database: database) }
            if json { return try Output.json(SupplierSummary(found)) }
            SupplierSummary(found).printDetails()
        }
    }
}
