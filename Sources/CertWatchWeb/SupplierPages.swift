import CertWatchCore
import CertWatchJobs
import CertWatchStore
import CertWatchServer
import Foundation
import Hummingbird

/// `/suppliers` (search, filters, paging, CSV of the filtered list), `/suppliers/{id}` (all
/// that is known about one supplier) and, for admins, its inspector export.
struct SupplierPages {
    let context: PageContext
    let exportSupplier: @Sendable (String) async throws -> (fileName: String, zip: Data)?

    func register(on group: RouterGroup<WebRequestContext>, admin: RouterGroup<WebRequestContext>) {
        group.get("suppliers", use: list)
        group.get("suppliers.csv", use: csv)
        group.get("suppliers/{id}", use: show)
        admin.get("suppliers/{id}/export", use: export)
        admin.post("suppliers/{id}/verify", use: verifyNow)
        admin.post("suppliers/{id}/certificate-requests", use: requestCertificate)
        admin.post("certificate-requests/{id}/withdraw", use: withdrawRequest)
    }

    @Sendable func list(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let filters = SupplierFilters(FormQuery(request), today: context.today)
        let result = try await context.stores.suppliers.list(filters.query)
        let today = context.today
        let content = SupplierListContent(
            filters: filters, rows: result.items.map { SupplierRow($0, today: today) },
            nextLink: result.nextCursor.map { "/suppliers?" + filters.queryString(cursor: $0) },
            csvLink: "/suppliers.csv?" + filters.queryString(cursor: nil), isAdmin: try page.signedIn.role == .admin)
        return context.views.page("suppliers", try page.frame("Suppliers", section: .suppliers), content)
    }

    /// Every supplier the filters match, all pages, as CSV for a spreadsheet.
    @Sendable func csv(_ request: Request, context page: WebRequestContext) async throws -> Response {
        var query = SupplierFilters(FormQuery(request), today: context.today).query
        query.limit = SupplierQuery.maxLimit
        let store = context.stores.suppliers
        var csv = CSVWriter(header: ["name", "nop_operation_id", "certifier", "country", "status", "status_effective_date",
                                     "anniversary_date", "valid_to", "tags", "id"])
        repeat {
            let result = try await store.list(query)
            for stored in result.items {
                let s = stored.supplier
                let c = s.certificate
                csv.append([s.name, s.nopOperationId?.rawValue, s.certifier, s.country, c?.status.text, c?.statusEffectiveDate?.description,
                            c?.anniversaryDate?.description, c?.validTo?.description, s.tags.joined(separator: ";"), s.id])
            }
            query.cursor = result.nextCursor
        } while query.cursor != nil
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: csv.text)))
        response.headers[.contentType] = "text/csv; charset=utf-8"
        response.headers[.contentDisposition] = "attachment; filename=\"suppliers-\(context.today).csv\""
        return response
    }

    @Sendable func show(_ request: Request, context page: WebRequestContext) async throws -> Response {
        try await render(page, id: try page.parameters.require("id"), notice: nil)
    }

    /// *Verify now*: the same verification as `POST /v1/suppliers/{id}/verify`, waited for a few
    /// seconds; the page then shows the supplier as it now is, and what happened.
    @Sendable func verifyNow(_ request: Request, context page: WebRequestContext) async throws -> Response {
        _ = try await Forms.decode(TokenOnlyForm.self, request, page)
        let id = try page.parameters.require("id")
        guard let stored = try await context.stores.suppliers.get(id: id) else { throw PageError.notFound("supplier \(id)") }
        guard stored.supplier.nopOperationId != nil else {
            return try await render(page, id: id, notice: "This supplier has no NOP ID, so INTEGRITY cannot be asked about it.", status: .unprocessableContent)
        }
        try await context.record(page, "verification.started", subject: id, detail: "Verify now")
        switch try await context.deps.verifyNow.verify(supplierId: id, wait: Self.verifyNowWait) {
        case .finished(let record):
            let what = switch record.outcome {
            case .verified: "INTEGRITY agrees with the record"
            case .changed: "INTEGRITY's record differed; the certificate was updated"
            case .notFound: "INTEGRITY does not list this NOP ID"
            case .failed: "the verification failed: \(record.reason ?? "no reason given"); nothing was changed"
            }
            return try await render(page, id: id, notice: "Verified just now from \(record.source): \(what).")
        case .running:
            return try await render(page, id: id, notice: "INTEGRITY is slow to answer; the verification goes on. Reload this page in a minute.",
                                    status: .accepted)
        case .shuttingDown:
            return try await render(page, id: id, notice: "The server is shutting down; verify again in a moment.", status: .serviceUnavailable)
        }
    }

    /// How long *Verify now* waits before showing the page (the API waits as long).
    static let verifyNowWait: Duration = .seconds(5)

    func render(_ page: WebRequestContext, id: String, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let stored = try await context.stores.suppliers.get(id: id) else { throw PageError.notFound("supplier \(id)") }
        let verifications = context.stores.verifications
        let content = SupplierContent(
            stored, today: context.today,
            history: try await verifications.history(supplierId: id, limit: 20),
            statusHistory: try await verifications.statusHistory(supplierId: id),
            checks: try await context.stores.purchaseChecks.latestChecks(supplierId: id, limit: 10),
            alerts: try await context.stores.alerts.list(AlertStore.Query(supplierId: id, limit: 10)).items,
            documents: try await documents(of: id),
            requests: try await context.deps.certificateRequests.list(supplierId: id),
            requestHistory: try await context.stores.activity.entries(subject: id, actions: CertificateRequest.Event.allCases.map(\.rawValue), limit: 50),
            isAdmin: try page.signedIn.role == .admin, notice: notice)
        return context.views.page("supplier", try page.frame(stored.supplier.name, section: .suppliers), content, status: status)
    }

    /// The supplier's documents with what reading each found.
    private func documents(of supplierId: String) async throws -> [(StoredDocument, DocumentReading?)] {
        let store = context.stores.documents
        let documents = try await store.list(supplierId: supplierId)
        let readings = try await store.readings(documentIds: documents.map(\.id))
        return documents.map { ($0, readings[$0.id]) }
    }

    @Sendable func export(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let id = try page.parameters.require("id")
        guard let (fileName, zip) = try await exportSupplier(id) else { throw PageError.notFound("supplier \(id)") }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: zip)))
        response.headers[.contentType] = "application/zip"
        response.headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
        return response
    }
}

/// The list's filters as the query string carries them; invalid values are dropped with a note.
struct SupplierFilters: Sendable {
    var q = ""
    var status = ""
    var scope = ""
    var certifier = ""
    var country = ""
    var tag = ""
    var lapsingWithin = ""
    var sortByDate = false
    var notes: [String] = []
    var statusOptions: [Option] = []
    var scopeOptions: [Option] = []
    var query = SupplierQuery()

    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    init(_ params: FormQuery, today: CalendarDate) {
        func text(_ name: String) -> String { params[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
        q = text("q")
        status = text("status")
        scope = text("scope")
        certifier = text("certifier")
        country = text("country")
        tag = text("tag")
        lapsingWithin = text("lapsingWithin")
        sortByDate = text("sort") == "date"
        query.text = q.isEmpty ? nil : q
        if !status.isEmpty {
            if status == "none" { query.status = "none" }
            else if let known = CertificationStatus(codeOrText: status) { query.status = known.code }
            else { notes.append("Unknown status \"\(status)\" was ignored."); status = "" }
        }
        if !scope.isEmpty {
            if let known = Scope(rawValue: scope) { query.scope = known } else { notes.append("Unknown scope \"\(scope)\" was ignored."); scope = "" }
        }
        query.certifier = certifier.isEmpty ? nil : certifier
        query.country = country.isEmpty ? nil : country
        query.tag = tag.isEmpty ? nil : tag
        if !lapsingWithin.isEmpty {
            if let days = Int(lapsingWithin), (0...3_650).contains(days) { query.lapsingThrough = today.adding(days: days) }
            else { notes.append("\"Lapsing within\" takes a number of days from 0 to 3650."); lapsingWithin = "" }
        }
        query.order = sortByDate ? .governingDate : .name
        query.cursor = params["cursor"]
        let chosenStatus = status
        statusOptions = [Option(value: "", label: "Any status", selected: chosenStatus.isEmpty)]
            + CertificationStatus.known.map { Option(value: $0.code, label: $0.text, selected: $0.code == chosenStatus) }
            + [Option(value: "other", label: "Other (as INTEGRITY wrote it)", selected: chosenStatus == "other"),
               Option(value: "none", label: "No certificate", selected: chosenStatus == "none")]
        let chosenScope = scope
        scopeOptions = [Option(value: "", label: "Any scope", selected: chosenScope.isEmpty)]
            + Scope.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.replacingOccurrences(of: "_", with: " ").capitalized, selected: $0.rawValue == chosenScope) }
    }

    /// The filters as a query string, for the next page and the CSV link.
    func queryString(cursor: String?) -> String {
        var items: [URLQueryItem] = []
        for (name, value) in [("q", q), ("status", status), ("scope", scope), ("certifier", certifier), ("country", country),
                              ("tag", tag), ("lapsingWithin", lapsingWithin), ("sort", sortByDate ? "date" : "")] where !value.isEmpty {
            items.append(URLQueryItem(name: name, value: value))
        }
        if let cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
        var components = URLComponents()
        components.queryItems = items
        return components.percentEncodedQuery ?? ""
    }
}

struct SupplierListContent: Sendable {
    var filters: SupplierFilters
    var rows: [SupplierRow]
    var nextLink: String?
    var csvLink: String
    var isAdmin: Bool
}

/// One supplier's page.
struct SupplierContent: Sendable {
    struct Item: Sendable {
        var scope: String
        var category: String?
        var items: String
        var varieties: String?
        var status: String
    }
    struct ScopeRow: Sendable {
        var scope: String
        var status: String
        var tone: String
        var since: String?
    }
    struct VerificationRow: Sendable {
        var at: String
        var source: String
        var outcome: String
        var digest: String?
        var url: String?
        var reason: String?
        var changes: String?
    }
    struct StatusRow: Sendable {
        var at: String
        var field: String
        var from: String
        var to: String
        var effective: String?
    }
    struct CheckRow: Sendable {
        var id: String
        var at: String
        var product: String
        var decision: String
        var tone: String
        var askedBy: String
    }
    struct DocumentRow: Sendable {
        var id: String
        var kind: String
        var name: String
        var uploaded: String
        var size: String
        var sha256: String
        var reading: String
        var tone: String
        var findings: [String]
    }
    struct KindOption: Sendable {
        var value: String
        var label: String
    }
    struct AlertRow: Sendable {
        var at: String
        var kind: String
        var detail: String
    }
    struct RequestRow: Sendable {
        var id: String
        var kind: String
        var state: String
        var tone: String
        var opened: String
        var emailsSent: Int
        var expires: String
        var documentId: String?
        var isOpen: Bool
    }
    struct HistoryRow: Sendable {
        var at: String
        var actor: String
        var action: String
        var detail: String
    }

    var row: SupplierRow
    var otherNames: String?
    var tags: String?
    var contacts: String?
    var profileURL: String?
    var statusSince: String?
    var scheme: String?
    var certificateNumber: String?
    var scopes: [ScopeRow]
    var items: [Item]
    var verifications: [VerificationRow]
    var statusHistory: [StatusRow]
    var checks: [CheckRow]
    var alerts: [AlertRow]
    var documents: [DocumentRow]
    var documentKinds: [KindOption]
    var requests: [RequestRow]
    var requestHistory: [HistoryRow]
    /// What the request form offers: the organic certificate, and the import certificate for an importer.
    var asksImportCertificate: Bool
    var supplierEmails: String?
    var isAdmin: Bool
    /// What an action on this page just did (*Verify now*).
    var notice: String?

    init(_ stored: StoredSupplier, today: CalendarDate, history: [VerificationRecord], statusHistory: [StatusHistoryEntry],
         checks: [PurchaseCheck], alerts: [Alert], documents: [(StoredDocument, DocumentReading?)], requests: [CertificateRequest],
         requestHistory: [ActivityLog.Entry], isAdmin: Bool, notice: String? = nil) {
        self.notice = notice
        let s = stored.supplier
        row = SupplierRow(stored, today: today)
        otherNames = s.otherNames.isEmpty ? nil : s.otherNames.joined(separator: ", ")
        tags = s.tags.isEmpty ? nil : s.tags.joined(separator: ", ")
        contacts = s.contactEmails.isEmpty ? nil : s.contactEmails.joined(separator: ", ")
        profileURL = s.nopOperationId?.integrityProfileURL
        statusSince = s.certificate?.statusEffectiveDate?.description
        scheme = s.certificate?.scheme.rawValue.uppercased()
        certificateNumber = s.certificate?.number
        scopes = (s.certificate?.scopes ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.map { scope, value in
            ScopeRow(scope: scope.rawValue.replacingOccurrences(of: "_", with: " ").capitalized, status: value.status.text,
                     tone: Formatting.tone(ofStatusCode: value.status.code), since: value.effectiveDate?.description)
        }
        items = (s.certificate?.items ?? []).map {
            Item(scope: $0.scopeWords.capitalized, category: $0.category,
                 items: $0.items.joined(separator: ", "), varieties: $0.varieties.isEmpty ? nil : $0.varieties.joined(separator: ", "),
                 status: $0.status.text)
        }
        verifications = history.map {
            VerificationRow(at: $0.at.utcMinuteText, source: $0.source, outcome: $0.outcome.rawValue.replacingOccurrences(of: "_", with: " "),
                            digest: $0.digest, url: $0.url, reason: $0.reason,
                            changes: $0.changes.isEmpty ? nil : $0.changes.map(\.description).joined(separator: "; "))
        }
        self.statusHistory = statusHistory.reversed().map {
            // A first sighting is INTEGRITY's first answer, not a change: said so, with "not listed" for an unknown NOP ID.
            StatusRow(at: $0.at.utcMinuteText, field: $0.firstSighting ? "\($0.field) (first answer from INTEGRITY)" : $0.field,
                      from: Formatting.statusWords($0.from),
                      to: $0.firstSighting && $0.to == nil ? "Not listed in INTEGRITY" : Formatting.statusWords($0.to),
                      effective: $0.effectiveDate?.description)
        }
        self.checks = checks.map {
            CheckRow(id: $0.id, at: $0.checkedAt.utcMinuteText, product: $0.product, decision: $0.decision.rawValue.uppercased(),
                     tone: Formatting.tone(of: $0.decision), askedBy: $0.askedBy)
        }
        self.alerts = alerts.map {
            AlertRow(at: $0.createdAt.utcMinuteText, kind: $0.kind.rawValue, detail: $0.governingDate.map { "governing date \($0)" } ?? "")
        }
        self.documents = documents.map { document, reading in
            let (words, tone): (String, String) = switch (reading?.status, reading?.findings.isEmpty) {
            case (.read?, true?): ("Agrees with INTEGRITY", "good")
            case (.read?, _): ("Disagrees with INTEGRITY", "bad")
            case (.noText?, _), (.notRead?, _): ("Not read: check by hand", "warn")
            case (nil, _): ("Not read yet", "warn")
            }
            return DocumentRow(id: document.id, kind: Self.label(of: document.kind), name: document.fileName ?? document.type.fileExtension.uppercased(),
                               uploaded: "\(document.uploadedAt.utcMinuteText) by \(document.uploadedBy)",
                               size: ByteCountFormatter.string(fromByteCount: Int64(document.byteCount), countStyle: .file), sha256: document.sha256,
                               reading: words, tone: tone, findings: reading?.findings.map(\.message) ?? [])
        }
        documentKinds = DocumentKind.allCases.map { KindOption(value: $0.rawValue, label: Self.label(of: $0)) }
        self.requests = requests.map {
            RequestRow(id: $0.id, kind: Self.label(of: $0.kind), state: $0.state.rawValue.capitalized,
                       tone: $0.state == .answered ? "good" : $0.state == .open ? "warn" : "neutral",
                       opened: "\($0.createdAt.utcMinuteText) by \($0.requestedBy)" + ($0.origin == .window ? " (automatic)" : ""),
                       emailsSent: $0.emailsSent, expires: $0.expiresAt.utcMinuteText, documentId: $0.documentId, isOpen: $0.state == .open)
        }
        self.requestHistory = requestHistory.map {
            HistoryRow(at: $0.at.utcMinuteText, actor: $0.actor,
                       action: CertificateRequest.Event(rawValue: $0.action)?.words ?? $0.action, detail: $0.detail)
        }
        asksImportCertificate = s.isImporter
        supplierEmails = s.supplierEmails.isEmpty ? nil : s.supplierEmails.joined(separator: ", ")
        self.isAdmin = isAdmin
    }

    static func label(of kind: DocumentKind) -> String {
        switch kind {
        case .organicCertificate: "Organic certificate"
        case .certificateAddendum: "Certificate addendum or profile"
        case .importCertificate: "NOP Import Certificate"
        case .other: "Other"
        }
    }
}
