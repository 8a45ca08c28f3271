import CertWatchCore
import CertWatchDocuments
import CertWatchIntegrity
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// NOP's notices of fraudulent certificates: everyone signed in reads them with the suppliers
/// each names (those purchases are blocked); admins import NOP's list, its spreadsheet (xlsx) or
/// a CSV, read by `FraudNoticeFile` as `certwatch fraud-notices import` reads it. All or nothing:
/// a file with one bad line imports nothing and lists its bad lines.
struct FraudNoticePages {
    let context: PageContext

    func register(on group: RouterGroup<WebRequestContext>, admin: RouterGroup<WebRequestContext>) {
        group.get("fraud-notices", use: list)
        admin.get("fraud-notices/import", use: form)
        admin.post("fraud-notices/import", use: upload)
    }

    struct Upload: PostedForm {
        var csrf: String?
        var file: Data?
    }

    var store: FraudNoticeStore { FraudNoticeStore(database: context.deps.database) }

    @Sendable func list(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let notices = try await store.all()
        let named = try await store.suppliersNamed(by: notices)
        let content = FraudNoticeListContent(notices: notices, named: named, isAdmin: try page.signedIn.role == .admin)
        return context.views.page("fraud-notices", try page.frame("Fraud notices", section: .fraudNotices), content)
    }

    @Sendable func form(_ request: Request, context page: WebRequestContext) async throws -> Response {
        context.views.page("fraud-notice-import", try page.frame("Import fraud notices", section: .fraudNotices), FraudNoticeImportContent())
    }

    @Sendable func upload(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let upload = try await Forms.decodeMultipart(Upload.self, request, page, limit: BodyLimits.importFile)
        guard let file = upload.file, !file.isEmpty else {
            return try refused(page, FraudNoticeImportContent(fileError: "Choose NOP's fraud list (xlsx) or a CSV file to import."))
        }
        let bytes: [UInt8]
        switch await LegacyWorkbook.readable(Array(file)) {
        case .success(let readable): bytes = readable
        case .failure(let failure): return try refused(page, FraudNoticeImportContent(fileError: Formatting.sentence(failure.description)))
        }
        let notices: [FraudNotice]
        do {
            notices = try FraudNoticeFile.notices(from: bytes, limits: context.settings.importLimits, makeId: { RecordID.make() })
        } catch {
            let fileErrors = error.errors.filter { $0.field == "file" && $0.line == nil }
            return try refused(page, FraudNoticeImportContent(
                errors: error.errors.filter { !fileErrors.contains($0) }.map(FraudNoticeImportContent.Row.init),
                fileError: fileErrors.isEmpty ? nil : fileErrors.map { Formatting.sentence($0.message) }.joined(separator: " ")))
        }
        let imported = try await store.importNotices(notices, at: context.now())
        try await context.record(page, "fraud_notices.imported", subject: nil,
                                 detail: "\(imported.added) added, \(imported.alreadyKnown) already known")
        let named = try await context.stores.suppliers.get(ids: Array(Set(imported.named.map(\.supplier))))
        let report = FraudNoticeImportContent.Report(imported, suppliers: named.map { NamedSupplier(id: $0.supplier.id, name: $0.supplier.name) })
        return context.views.page("fraud-notice-import", try page.frame("Fraud notices imported", section: .fraudNotices),
                                  FraudNoticeImportContent(report: report))
    }

    private func refused(_ page: WebRequestContext, _ content: FraudNoticeImportContent) throws -> Response {
        context.views.page("fraud-notice-import", try page.frame("Import fraud notices: nothing was imported", section: .fraudNotices), content,
                           status: .unprocessableContent)
    }
}

/// A supplier a notice names, linked to its page.
struct NamedSupplier: Sendable {
    var id: String
    var name: String
}

struct FraudNoticeListContent: Sendable {
    struct Row: Sendable {
        var date: String
        var operationName: String
        var identifier: String?
        var certifier: String?
        var url: String
        var suppliers: [NamedSupplier]
    }
    var rows: [Row]
    var isAdmin: Bool

    init(notices: [FraudNotice], named: [(supplier: AlertData.SupplierRef, notice: FraudNotice)], isAdmin: Bool) {
        var byNotice: [String: [NamedSupplier]] = [:]
        for (supplier, notice) in named { byNotice[notice.id, default: []].append(NamedSupplier(id: supplier.id, name: supplier.name)) }
        rows = notices.map {
            Row(date: $0.noticeDate.description, operationName: $0.operationName, identifier: $0.identifier, certifier: $0.certifier,
                url: $0.url, suppliers: byNotice[$0.id] ?? [])
        }
        self.isAdmin = isAdmin
    }
}

/// The import page: the form, and after a post either what was imported or every bad line.
struct FraudNoticeImportContent: Sendable {
    struct Row: Sendable {
        var line: String
        var field: String
        var message: String

        init(_ error: FieldError) {
            line = error.line.map { "line \($0)" } ?? "file"
            field = error.field
            message = Formatting.sentence(error.message)
        }
    }
    struct Report: Sendable {
        var added: Int
        var alreadyKnown: Int
        var suppliersNamed: Int
        /// The suppliers the new notices name, each once, by name.
        var named: [NamedSupplier]

        init(_ imported: FraudNoticeStore.Imported, suppliers: [NamedSupplier]) {
            added = imported.added
            alreadyKnown = imported.alreadyKnown
            named = suppliers.sorted { $0.name < $1.name }
            suppliersNamed = named.count
        }
    }
    var report: Report?
    var errors: [Row] = []
    var fileError: String?
}
