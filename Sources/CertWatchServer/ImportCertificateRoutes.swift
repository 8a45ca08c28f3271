import CertWatchCore
import CertWatchStore
import Foundation
import Hummingbird

/// `/v1/import-certificates`: record a NOP Import Certificate (admins; the activity record keeps
/// who, as the page's form does), list and show them with what purchase checks have counted
/// against each product line.
struct ImportCertificateRoutes {
    let certificates: ImportCertificateStore
    let suppliers: SupplierStore
    let documents: DocumentStore
    let activity: ActivityLog

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("import-certificates", use: create)
        group.get("import-certificates", use: list)
        group.get("import-certificates/{number}", use: show)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(ImportCertificateInput.self, from: request, context: context)
        let exporter = try await exporter(input)
        let certificate: ImportCertificate
        do {
            certificate = try input.validated(id: RecordID.make(), exporterId: exporter?.id)
        } catch {
            throw Problem.validation(error)
        }
        if let documentId = certificate.documentId, try await documents.get(id: documentId) == nil {
            throw Problem.validation(ValidationFailure([FieldError(field: "documentId", message: "no document \(documentId) is on file")]))
        }
        do {
            let recorded = try await certificates.add(certificate, recordedBy: context.apiKey?.name ?? "unknown")
            try await activity.append(actor: context.actor, action: "import_certificate.recorded", subject: certificate.exporterId,
                                      detail: certificate.number)
            var response = try JSONBody.response(ImportCertificateResponse(recorded, exporter: exporter), status: .created)
            response.headers[.location] = "/v1/import-certificates/\(certificate.number)"
            return response
        } catch let duplicate as ImportCertificateStore.Duplicate {
            throw Problem(.conflict, "import-certificate-exists", title: "Already recorded", detail: duplicate.description)
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let exporterId = FormQuery(request)["exporterId"]
        let listed = try await certificates.list(exporterId: exporterId)
        let exporters = try await suppliers.get(ids: Array(Set(listed.map(\.certificate.exporterId))))
        let byId = Dictionary(exporters.map { ($0.supplier.id, $0.supplier) }, uniquingKeysWith: { first, _ in first })
        return try JSONBody.response(PageResponse(items: listed.map { ImportCertificateResponse($0, exporter: byId[$0.certificate.exporterId]) },
                                                  nextCursor: nil))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let number = try context.parameters.require("number").removingPercentEncoding ?? ""
        guard let recorded = try await certificates.get(number: number) else { throw Problem.notFound("import certificate \(number)") }
        let exporter = try await suppliers.get(id: recorded.certificate.exporterId)?.supplier
        return try JSONBody.response(ImportCertificateResponse(recorded, exporter: exporter))
    }

    /// The exporter the body names by id or NOP operation ID, if it is in the registry.
    private func exporter(_ input: ImportCertificateInput) async throws -> Supplier? {
        if let id = input.exporterId { return try await suppliers.get(id: id)?.supplier }
        if let nop = input.exporterNopOperationId.flatMap(NOPOperationID.init) { return try await suppliers.find(nopOperationId: nop)?.supplier }
        return nil
    }
}

/// An import certificate as the API shows it: each product line with what checks used of it.
struct ImportCertificateResponse: Encodable {
    struct Exporter: Encodable {
        var id: String
        var name: String?
        var nopOperationId: String?
    }

    struct Line: Encodable {
        var product: String
        var quantity: Double
        var unit: String
        /// What allowed or reviewed purchase checks have counted against it.
        var used: Double
    }

    var id: String
    var number: String
    var exporter: Exporter
    var importer: String
    var kind: String
    var shipmentDate: CalendarDate?
    var validFrom: CalendarDate?
    var validTo: CalendarDate?
    var portOfEntry: String?
    var certifier: String?
    var products: [Line]
    var documentId: String?
    var numberFormat: String
    var origin: String?
    var destination: String?
    var htsCode: String?
    var totalWeightKg: Double?
    var lotNumbers: [String]
    var recordedAt: Date
    var recordedBy: String

    init(_ recorded: ImportCertificateStore.Recorded, exporter: Supplier?) {
        let c = recorded.certificate
        id = c.id
        number = c.number
        self.exporter = Exporter(id: c.exporterId, name: exporter?.name, nopOperationId: exporter?.nopOperationId?.rawValue)
        importer = c.importer
        kind = c.kind.rawValue
        shipmentDate = c.shipmentDate
        validFrom = c.validFrom
        validTo = c.validTo
        portOfEntry = c.portOfEntry
        certifier = c.certifier
        products = c.lines.map { Line(product: $0.product, quantity: $0.quantity, unit: $0.unit, used: recorded.used[$0.product] ?? 0) }
        documentId = c.documentId
        numberFormat = c.numberIsElectronic ? "electronic" : "free_text"
        origin = c.origin
        destination = c.destination
        htsCode = c.htsCode
        totalWeightKg = c.totalWeightKg
        lotNumbers = c.lotNumbers
        recordedAt = recorded.recordedAt
        recordedBy = recorded.recordedBy
    }
}
