import CertWatchCore
import CertWatchStore
import Foundation
import Hummingbird

/// `/v1/suppliers`: the registry's CRUD, list with filters and cursor, and the CSV import.
struct SupplierRoutes {
    let suppliers: SupplierStore
    let importer: SupplierImporter
    let verifications: VerificationStore
    let activity: ActivityLog

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("suppliers", use: list)
        group.post("suppliers", use: create)
        group.post("suppliers/import", use: importFile)
        group.get("suppliers/{id}", use: show)
        group.put("suppliers/{id}", use: replace)
        group.delete("suppliers/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = request.queryValues
        let form = FormQuery(request)
        var query = SupplierQuery(status: form.nonEmpty("status"), text: form.nonEmpty("q"), tag: form.nonEmpty("tag"), cursor: form.nonEmpty("cursor"))
        if let status = query.status, status != "none", CertificationStatus(codeOrText: status) == nil, status != "other" {
            throw Problem.validation(ValidationFailure([FieldError(field: "status", message: "unknown status \"\(status)\"")]))
        }
        query.status = query.status.map { CertificationStatus(codeOrText: $0)?.code ?? $0 }
        var errors: [FieldError] = []
        if let limit = ListLimit.parse(params, max: SupplierQuery.maxLimit, errors: &errors) { query.limit = limit }
        guard errors.isEmpty else { throw Problem.validation(ValidationFailure(errors)) }
        let page = try await suppliers.list(query)
        return try JSONBody.response(PageResponse(items: try await responses(page.items), nextCursor: page.nextCursor))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(SupplierInput.self, from: request, context: context)
        let supplier = try validate(input, id: RecordID.make())
        let stored = try await suppliers.create(supplier)
        var response = try JSONBody.response(try await responses([stored])[0], status: .created)
        response.headers[.location] = "/v1/suppliers/\(stored.supplier.id)"
        return response
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let stored = try await suppliers.get(id: id) else { throw Problem.notFound("supplier \(id)") }
        return try JSONBody.response(try await responses([stored])[0])
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let input = try await JSONBody.decode(SupplierInput.self, from: request, context: context)
        let stored = try await suppliers.replace(try validate(input, id: id), keepingSupplierEmails: input.supplierEmails == nil)
        return try JSONBody.response(try await responses([stored])[0])
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await suppliers.delete(id: id) else { throw Problem.notFound("supplier \(id)") }
        return Response(status: .noContent)
    }

    /// The body is the CSV file itself; `?dryRun=true` validates and counts without writing.
    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let dryRun: Bool
        switch FormQuery(request)["dryRun"] {
        case nil, "false", "0": dryRun = false
        case "true", "1": dryRun = true
        default:
            // A mistyped flag (`dryRun=yes`) must not write to the registry.
            throw Problem.validation(ValidationFailure([FieldError(field: "dryRun", message: "must be true or false")]))
        }
        let buffer = try await JSONBody.collect(request, limit: BodyLimits.importFile)
        do {
            let rows = try SupplierCSV.rows(from: Array(buffer: buffer))
            let report = try await importer.run(rows, dryRun: dryRun)
            if !dryRun {
                try await activity.append(actor: context.actor, action: "suppliers.imported", subject: nil,
                                          detail: "\(report.created) created, \(report.updated) updated")
            }
            return try JSONBody.response(report)
        } catch let failure as ValidationFailure {
            throw Problem.validation(failure, title: "The file has invalid rows; nothing was imported")
        }
    }

    /// Suppliers as the API shows them, each with its latest verification.
    private func responses(_ stored: [StoredSupplier]) async throws -> [SupplierResponse] {
        let latest = try await verifications.latest(for: stored.map(\.supplier.id))
        return stored.map { SupplierResponse(stored: $0, lastVerification: latest[$0.supplier.id]) }
    }

    private func validate(_ input: SupplierInput, id: String) throws -> Supplier {
        do {
            return try input.validated(id: id)
        } catch {
            throw Problem.validation(error)
        }
    }
}
