import CertWatchCore
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// Admins record a NOP Import Certificate: the API's fields (`ImportCertificateInput.validated`,
/// the same rules and messages), five product rows and no script, and one of the exporter's
/// import certificates already on file. Each refusal is shown at its field.
struct ImportCertificateFormPages {
    let context: PageContext

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("import-certificates/new", use: newForm)
        admin.post("import-certificates", use: create)
    }

    /// Product rows on the form: a certificate with more lines is recorded through the API.
    static let productRows = 5

    @Sendable func newForm(_ request: Request, context page: WebRequestContext) async throws -> Response {
        var posted = ImportCertificateForm()
        posted.values["exporter"] = FormQuery(request).nonEmpty("exporter")
        posted.values["kind"] = ImportCertificate.Kind.shipment.rawValue
        return try await render(page, posted, errors: [])
    }

    @Sendable func create(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let posted = try await Forms.decode(ImportCertificateForm.self, request, page)
        let exporter = try await exporter(posted.values["exporter"])
        var errors = exporter == nil ? [FieldError(field: "exporter", message: posted.values["exporter"] == nil
                                                   ? "name the exporter: its CertWatch ID or NOP ID"
                                                   : "no supplier in the registry has this CertWatch ID or NOP ID")] : []
        if let documentId = posted.values["documentId"], try await !documents(of: exporter?.id).contains(where: { $0.id == documentId }) {
            errors.append(FieldError(field: "documentId", message: "choose one of the exporter's import certificates on file"))
        }
        do {
            let certificate = try posted.validated(id: RecordID.make(), exporterId: exporter?.id, also: errors)
            _ = try await context.stores.importCertificates.add(certificate, recordedBy: try page.signedIn.askedBy)
            try await context.record(page, "import_certificate.recorded", subject: certificate.exporterId, detail: certificate.number)
            return .seeOther(ImportCertificatePages.path(of: certificate.number))
        } catch let failure as ValidationFailure {
            return try await render(page, posted, errors: failure.errors, status: .unprocessableContent)
        } catch let duplicate as ImportCertificateStore.Duplicate {
            return try await render(page, posted, errors: [FieldError(field: "number", message: duplicate.description)], status: .conflict)
        }
    }

    /// The exporter a form names by CertWatch ID or NOP ID, as the API takes either.
    private func exporter(_ text: String?) async throws -> Supplier? {
        guard let text else { return nil }
        if let stored = try await context.stores.suppliers.get(id: text) { return stored.supplier }
        guard let nop = NOPOperationID(text) else { return nil }
        return try await context.stores.suppliers.find(nopOperationId: nop)?.supplier
    }

    /// The exporter's import certificates on file, the only documents the form offers.
    private func documents(of exporterId: String?) async throws -> [StoredDocument] {
        guard let exporterId else { return [] }
        return try await context.stores.documents.list(supplierId: exporterId).filter { $0.kind == .importCertificate }
    }

    private func render(_ page: WebRequestContext, _ posted: ImportCertificateForm, errors: [FieldError],
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let exporter = try await exporter(posted.values["exporter"])
        let content = ImportCertificateFormContent(posted, errors: errors, exporterName: exporter?.name,
                                                   documents: try await documents(of: exporter?.id))
        let title = "Record an import certificate" + (errors.isEmpty ? "" : ": correct the form")
        return context.views.page("import-certificate-form", try page.frame(title, section: .importCertificates), content, status: status)
    }
}

/// The posted form: the API's field names (`exporter` takes an id or a NOP ID), and the product
/// rows as `product0`, `quantity0`, `unit0` … Empty fields are absent.
struct ImportCertificateForm: PostedForm {
    static let fields = ["exporter", "number", "kind", "importer", "shipmentDate", "validFrom", "validTo", "portOfEntry", "certifier",
                         "origin", "destination", "htsCode", "totalWeightKg", "lotNumbers", "documentId"]
    static let rowFields = (0..<ImportCertificateFormPages.productRows).flatMap { ["product\($0)", "quantity\($0)", "unit\($0)"] }

    var csrf: String?
    var values: [String: String] = [:]

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        csrf = try container.decodeIfPresent(String.self, forKey: AnyKey("csrf"))
        for name in Self.fields + Self.rowFields {
            if let text = try container.decodeIfPresent(String.self, forKey: AnyKey(name))?.trimmingCharacters(in: .whitespacesAndNewlines),
               !text.isEmpty {
                values[name] = text
            }
        }
    }

    /// The form rows that have anything in them, in order: the API's `products[i]` is row `rows[i]`.
    var filledRows: [Int] {
        (0..<ImportCertificateFormPages.productRows).filter { row in ["product", "quantity", "unit"].contains { values["\($0)\(row)"] != nil } }
    }

    /// The certificate by the API's rules, or every bad field at once (with `also`, what the page
    /// found itself), each named by its form field.
    func validated(id: String, exporterId: String?, also found: [FieldError]) throws -> ImportCertificate {
        var errors = found
        let rows = filledRows
        let products = rows.map { row in
            ImportCertificateInput.LineInput(product: values["product\(row)"], quantity: values["quantity\(row)"].flatMap(Double.init),
                                             unit: values["unit\(row)"])
        }
        let weightText = values["totalWeightKg"]
        let weight = weightText.flatMap(Double.init)
        if weightText != nil, weight == nil { errors.append(FieldError(field: "totalWeightKg", message: "must be a number of kilograms above 0")) }
        let lots = values["lotNumbers"]?.split(whereSeparator: { $0 == ";" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let input = ImportCertificateInput(
            number: values["number"], exporterId: exporterId, importer: values["importer"], kind: values["kind"],
            shipmentDate: values["shipmentDate"], validFrom: values["validFrom"], validTo: values["validTo"], portOfEntry: values["portOfEntry"],
            certifier: values["certifier"], products: products, documentId: values["documentId"], origin: values["origin"],
            destination: values["destination"], htsCode: values["htsCode"], totalWeightKg: weight, lotNumbers: lots)
        let certificate: ImportCertificate
        do {
            // An unknown exporter is already in `errors`, said as the form says it: not again as the API says it.
            certificate = try input.validated(id: id, exporterId: exporterId ?? "")
        } catch {
            throw ValidationFailure(errors + error.errors.map { error in
                var onForm = error
                onForm.field = Self.formField(ofErrorField: error.field, rows: rows)
                return onForm
            })
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return certificate
    }

    /// The form field of a validation error's JSON path: `products[1].quantity` is the second
    /// filled row's quantity, `lotNumbers[3]` the lot numbers' field.
    static func formField(ofErrorField path: String, rows: [Int]) -> String {
        guard let match = path.wholeMatch(of: /products\[(\d+)\]\.(product|quantity|unit)/),
              let index = Int(match.output.1), rows.indices.contains(index) else {
            return path.hasPrefix("lotNumbers[") ? "lotNumbers" : path
        }
        return "\(match.output.2)\(rows[index])"
    }
}
