import CertWatchCore
import CertWatchStore
import Foundation
import Hummingbird

/// Admins add a supplier, with the columns of the import file as its fields, and edit a
/// supplier's registry fields. The certificate of an existing supplier is not edited here: it
/// comes from INTEGRITY's verification or an import file, and a form must not overwrite it.
/// Both go through `SupplierInput.validated`, as the API and the import do.
struct SupplierFormPages {
    let context: PageContext

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("suppliers/new", use: newForm)
        admin.post("suppliers", use: create)
        admin.get("suppliers/{id}/edit", use: editForm)
        admin.post("suppliers/{id}", use: save)
    }

    /// The registry's own fields, then (new suppliers only) the certificate's.
    static let registryColumns: [(SupplierCSV.Column, String, String?)] = [
        (.name, "Name", nil),
        (.otherNames, "Other names", "Separated by ;"),
        (.nopOperationId, "NOP ID", "INTEGRITY's 10-digit operation ID; leave empty for suppliers outside the NOP"),
        (.certifier, "Certifier", nil),
        (.country, "Country", nil),
        (.contactEmails, "Alert contacts", "Your staff who get this supplier's alerts: email addresses separated by ;"),
        (.supplierEmails, "Supplier's addresses", "At the supplier, where certificate requests go: email addresses separated by ;"),
        (.timeZone, "Time zone", "IANA, e.g. America/Chicago: when this supplier's alerts are dated"),
        (.tags, "Tags", "Separated by ;"),
        (.imports, "Imports", "true when this supplier's goods are imported into the US (a NOP Import Certificate for every shipment); a supplier outside the US always is"),
    ]
    static let certificateColumns: [(SupplierCSV.Column, String, String?)] = [
        (.scheme, "Scheme", "nop, eu or other"),
        (.certificateNumber, "Certificate number", nil),
        (.status, "Status", "certified, suspended, surrendered, revoked …"),
        (.statusEffectiveDate, "Status effective date", "YYYY-MM-DD"),
        (.anniversaryDate, "NOP anniversary date", "YYYY-MM-DD"),
        (.validTo, "Valid to", "YYYY-MM-DD, for schemes whose certificates expire"),
        (.products, "Certified products", "scope:Item (Variety|Variety) separated by ;, e.g. crops:Avocados (Hass);handling:Guacamole"),
    ]


    struct Content: Sendable {
        var heading: String
        var action: String
        var fields: [FormField]
        var otherErrors: [String]
        var isNew: Bool
        var supplierId: String?
    }

    /// Posted fields, named as the import file's columns.
    struct Posted: PostedForm {
        var csrf: String?
        var values: [SupplierCSV.Column: String]
        /// The fields the form sent, empty or not. A form rendered before a field existed (a tab
        /// left open across an upgrade) does not send it, and what is stored for it is kept.
        var sent: Set<SupplierCSV.Column>

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            csrf = try container.decodeIfPresent(String.self, forKey: AnyKey("csrf"))
            values = [:]
            sent = []
            for column in SupplierCSV.Column.allCases {
                guard let raw = try container.decodeIfPresent(String.self, forKey: AnyKey(column.rawValue)) else { continue }
                sent.insert(column)
                let text = raw.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { values[column] = text }
            }
        }
    }

    @Sendable func newForm(_ request: Request, context page: WebRequestContext) async throws -> Response {
        try render(page, isNew: true, id: nil, values: [.scheme: "nop", .status: "certified"], errors: [])
    }

    @Sendable func create(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let posted = try await Forms.decode(Posted.self, request, page)
        do {
            let supplier = try Self.validated(posted.values, id: RecordID.make())
            let stored = try await context.stores.suppliers.create(supplier)
            return .seeOther("/suppliers/\(stored.supplier.id)")
        } catch let failure as ValidationFailure {
            return try render(page, isNew: true, id: nil, values: posted.values, errors: failure.errors, status: .unprocessableContent)
        } catch let error as StoreError {
            return try render(page, isNew: true, id: nil, values: posted.values,
                              errors: [FieldError(field: "nopOperationId", message: error.description)], status: .conflict)
        }
    }

    @Sendable func editForm(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let stored = try await existing(page)
        let s = stored.supplier
        let values: [SupplierCSV.Column: String] = [
            .name: s.name, .otherNames: s.otherNames.joined(separator: ";"), .nopOperationId: s.nopOperationId?.rawValue ?? "",
            .certifier: s.certifier ?? "", .country: s.country ?? "", .contactEmails: s.contactEmails.joined(separator: ";"),
            .supplierEmails: s.supplierEmails.joined(separator: ";"),
            .timeZone: s.timeZone ?? "", .tags: s.tags.joined(separator: ";"), .imports: s.imports ? "true" : "",
        ]
        return try render(page, isNew: false, id: s.id, values: values, errors: [])
    }

    @Sendable func save(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let stored = try await existing(page)
        let posted = try await Forms.decode(Posted.self, request, page)
        let registry = posted.values.filter { column, _ in Self.registryColumns.contains { $0.0 == column } }
        do {
            var supplier = try Self.validated(registry, id: stored.supplier.id)
            supplier.certificate = stored.supplier.certificate
            _ = try await context.stores.suppliers.replace(supplier, keepingSupplierEmails: !posted.sent.contains(.supplierEmails))
            return .seeOther("/suppliers/\(supplier.id)")
        } catch let failure as ValidationFailure {
            return try render(page, isNew: false, id: stored.supplier.id, values: posted.values, errors: failure.errors, status: .unprocessableContent)
        } catch let error as StoreError {
            return try render(page, isNew: false, id: stored.supplier.id, values: posted.values,
                              errors: [FieldError(field: "nopOperationId", message: error.description)], status: .conflict)
        }
    }

    private func existing(_ page: WebRequestContext) async throws -> StoredSupplier {
        let id = try page.parameters.require("id")
        guard let stored = try await context.stores.suppliers.get(id: id) else { throw PageError.notFound("supplier \(id)") }
        return stored
    }

    /// The posted fields as a supplier, by the import file's rules (also what the fuzzer reads).
    static func validated(_ values: [SupplierCSV.Column: String], id: String) throws -> Supplier {
        switch SupplierCSV.input(from: values) {
        case .success(let input): return try input.validated(id: id)
        case .failure(let error): throw ValidationFailure([error])
        }
    }

    private func render(_ page: WebRequestContext, isNew: Bool, id: String?, values: [SupplierCSV.Column: String], errors: [FieldError],
                        status: HTTPResponse.Status = .ok) throws -> Response {
        var remaining = errors
        func field(_ column: SupplierCSV.Column, _ label: String, _ hint: String?) -> FormField {
            let mine = remaining.filter { Self.column(ofErrorField: $0.field) == column }
            remaining.removeAll { Self.column(ofErrorField: $0.field) == column }
            return FormField(name: column.rawValue, label: label, value: values[column] ?? "", hint: hint,
                         error: mine.isEmpty ? nil : mine.map { Formatting.sentence($0.message) }.joined(separator: " "),
                         isDate: [.statusEffectiveDate, .anniversaryDate, .validTo].contains(column))
        }
        let fields = (isNew ? Self.registryColumns + Self.certificateColumns : Self.registryColumns).map { field($0.0, $0.1, $0.2) }
        let heading = isNew ? "Add a supplier" : "Edit \(values[.name] ?? "the supplier")"
        let content = Content(heading: heading, action: isNew ? "/admin/suppliers" : "/admin/suppliers/\(id ?? "")", fields: fields,
                              otherErrors: remaining.map { "\($0.field): \(Formatting.sentence($0.message))" }, isNew: isNew, supplierId: id)
        return context.views.page("supplier-form", try page.frame(heading + (errors.isEmpty ? "" : ": correct the form"), section: .suppliers),
                                  content, status: status)
    }

    /// Which form field a validation error's JSON path belongs to.
    static func column(ofErrorField path: String) -> SupplierCSV.Column? {
        let head = String(path.prefix { $0 != "[" })
        switch head {
        case "name": return .name
        case "otherNames": return .otherNames
        case "nopOperationId": return .nopOperationId
        case "contactEmails": return .contactEmails
        case "supplierEmails": return .supplierEmails
        case "timeZone": return .timeZone
        case "tags": return .tags
        case "imports": return .imports
        case "certificate.scheme": return .scheme
        case "certificate.status": return .status
        case "certificate.statusEffectiveDate": return .statusEffectiveDate
        case "certificate.anniversaryDate": return .anniversaryDate
        case "certificate.validTo": return .validTo
        case "products": return .products
        default: return head.hasPrefix("certificate.items") ? .products : nil
        }
    }
}

/// A coding key for fields named at run time.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
