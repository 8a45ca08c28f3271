import CertWatchCore
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// `/admin/import`: upload a supplier CSV (multipart, read by multipart-kit). The same importer
/// as `certwatch suppliers import` and the API: every bad row is listed with its line, and a file
/// with one bad row writes nothing.
struct ImportPage {
    let context: PageContext

    func register(on admin: RouterGroup<WebRequestContext>) {
        admin.get("import", use: form)
        admin.post("import", use: upload)
    }

    struct Upload: PostedForm {
        var csrf: String?
        var file: Data?
        var dryRun: String?
    }

    struct Content: Sendable {
        struct Row: Sendable {
            var line: String
            var field: String
            var message: String
        }
        var report: ImportReport?
        var dryRun: Bool
        var errors: [Row]
        var fileError: String?
    }

    @Sendable func form(_ request: Request, context page: WebRequestContext) async throws -> Response {
        context.views.page("import", try page.frame("Import suppliers", section: .importing), Content(report: nil, dryRun: false, errors: []))
    }

    @Sendable func upload(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let upload = try await Forms.decodeMultipart(Upload.self, request, page, limit: BodyLimits.importFile)
        let dryRun = upload.dryRun != nil
        let frame = try page.frame("Import suppliers", section: .importing)
        guard let file = upload.file, !file.isEmpty else {
            return context.views.page("import", frame, Content(report: nil, dryRun: dryRun, errors: [], fileError: "Choose a CSV file to import."),
                                      status: .unprocessableContent)
        }
        do {
            let rows = try SupplierCSV.rows(from: Array(file))
            let report = try await context.stores.importer.run(rows, dryRun: dryRun)
            if !dryRun {
                try await context.record(page, "suppliers.imported", subject: nil,
                                         detail: "\(report.created) created, \(report.updated) updated")
            }
            return context.views.page("import", frame, Content(report: report, dryRun: dryRun, errors: []))
        } catch let failure as ValidationFailure {
            let rows = failure.errors.map { Content.Row(line: $0.line.map { "line \($0)" } ?? "file", field: $0.field, message: $0.message) }
            return context.views.page("import", try page.frame("Import suppliers: the file has invalid rows", section: .importing),
                                      Content(report: nil, dryRun: dryRun, errors: rows), status: .unprocessableContent)
        }
    }
}
