import CertWatchCore
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird

/// `/import-certificates` (one exporter's with `?exporter=`) and `/import-certificates/{number}`:
/// the NOP Import Certificates on record, for everyone signed in, as the API's reads allow
/// purchasers and auditors. Each product line shows what purchase checks have counted against it,
/// so a buyer sees what is left before ordering the next lot.
struct ImportCertificatePages {
    let context: PageContext

    func register(on group: RouterGroup<WebRequestContext>) {
        group.get("import-certificates", use: list)
        group.get("import-certificates/{number}", use: show)
    }

    /// How many checks the show page lists, newest first.
    static let shownChecks = 50

    @Sendable func list(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let exporterId = FormQuery(request).nonEmpty("exporter")
        var exporter: Supplier?
        if let id = exporterId {
            guard let stored = try await context.stores.suppliers.get(id: id) else { throw PageError.notFound("supplier \(id)") }
            exporter = stored.supplier
        }
        let recorded = try await context.stores.importCertificates.list(exporterId: exporterId)
        let names = try await exporterNames(recorded.map(\.certificate.exporterId))
        let content = ImportCertificateListContent(
            exporter: exporter.map { ImportCertificateListContent.Exporter(id: $0.id, name: $0.name) },
            rows: recorded.map { ImportCertificateRow($0, exporterName: names[$0.certificate.exporterId]) },
            isAdmin: try page.signedIn.role == .admin)
        let title = exporter.map { "Import certificates of \($0.name)" } ?? "NOP Import Certificates"
        return context.views.page("import-certificates", try page.frame(title, section: .importCertificates), content)
    }

    @Sendable func show(_ request: Request, context page: WebRequestContext) async throws -> Response {
        // The number is one path segment, percent-encoded (free-text numbers may hold a slash).
        let number = try page.parameters.require("number").removingPercentEncoding ?? ""
        guard let recorded = try await context.stores.importCertificates.get(number: number) else {
            throw PageError.notFound("import certificate \(number)")
        }
        let c = recorded.certificate
        let exporter = try await context.stores.suppliers.get(id: c.exporterId)?.supplier
        var document: StoredDocument?
        if let id = c.documentId { document = try await context.stores.documents.get(id: id) }
        let checks = try await context.stores.purchaseChecks.checks(importCertificate: c.number, limit: Self.shownChecks)
        let content = ImportCertificateContent(recorded, exporterName: exporter?.name, document: document, checks: checks,
                                               zone: context.settings.timeZone)
        return context.views.page("import-certificate", try page.frame("Import certificate \(c.number)", section: .importCertificates), content)
    }

    /// The exporters' names by id, in one read.
    private func exporterNames(_ ids: [String]) async throws -> [String: String] {
        let suppliers = try await context.stores.suppliers.get(ids: Array(Set(ids)))
        return Dictionary(suppliers.map { ($0.supplier.id, $0.supplier.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// A certificate's own page, as a link: the number as one percent-encoded path segment.
    static func path(of number: String) -> String {
        var segment = CharacterSet.urlPathAllowed
        segment.remove("/")
        return "/import-certificates/" + (number.addingPercentEncoding(withAllowedCharacters: segment) ?? number)
    }
}

/// One product line as the pages write it: "1200 of 20000 kg used".
struct ImportLineView: Sendable {
    var product: String
    var used: String
    var total: String
    var unit: String
    /// Nothing is left of it: the next lot is blocked.
    var usedUp: Bool

    init(_ line: ImportCertificate.Line, used: Double) {
        product = line.product
        self.used = ImportCertificate.quantityText(used)
        total = ImportCertificate.quantityText(line.quantity)
        unit = line.unit
        usedUp = used >= line.quantity
    }
}

/// One certificate as a row of the list.
struct ImportCertificateRow: Sendable {
    var number: String
    var link: String
    var exporterId: String
    var exporterName: String
    var kind: String
    var period: String
    var lines: [ImportLineView]
    var documentId: String?

    init(_ recorded: ImportCertificateStore.Recorded, exporterName: String?) {
        let c = recorded.certificate
        number = c.number
        link = ImportCertificatePages.path(of: c.number)
        exporterId = c.exporterId
        self.exporterName = exporterName ?? c.exporterId
        kind = ImportCertificateRow.words(c.kind)
        period = c.periodText
        lines = c.lines.map { ImportLineView($0, used: recorded.used[$0.product] ?? 0) }
        documentId = c.documentId
    }

    static func words(_ kind: ImportCertificate.Kind) -> String {
        switch kind {
        case .shipment: "One shipment"
        case .timeFrame: "Time frame"
        }
    }
}

struct ImportCertificateListContent: Sendable {
    struct Exporter: Sendable {
        var id: String
        var name: String
    }
    var exporter: Exporter?
    var rows: [ImportCertificateRow]
    var isAdmin: Bool
}

/// One certificate's page: every recorded field, the document on file, and the checks that named it.
struct ImportCertificateContent: Sendable {
    struct Fact: Sendable {
        var label: String
        var value: String
    }
    struct CheckRow: Sendable {
        var id: String
        var at: String
        var product: String
        var lot: String
        var decision: String
        var tone: String
        var askedBy: String
    }

    var row: ImportCertificateRow
    var facts: [Fact]
    var documentName: String?
    var checks: [CheckRow]

    init(_ recorded: ImportCertificateStore.Recorded, exporterName: String?, document: StoredDocument?, checks: [PurchaseCheck], zone: TimeZone) {
        let c = recorded.certificate
        row = ImportCertificateRow(recorded, exporterName: exporterName)
        let optional: [(String, String?)] = [
            ("Number format", c.numberIsElectronic ? "Electronic (Organic Integrity Database)" : "Free text"),
            ("Importer", c.importer), ("Kind", row.kind), ("Period", c.periodText), ("Port of entry", c.portOfEntry),
            ("Certifier", c.certifier), ("Origin", c.origin), ("Destination", c.destination), ("HTS code", c.htsCode),
            ("Total weight", c.totalWeightKg.map { ImportCertificate.quantityText($0) + " kg" }),
            ("Lot numbers", c.lotNumbers.isEmpty ? nil : c.lotNumbers.joined(separator: ", ")),
            ("Recorded", Formatting.dateTime(recorded.recordedAt, in: zone) + " by " + recorded.recordedBy),
        ]
        facts = optional.compactMap { label, value in value.map { Fact(label: label, value: $0) } }
        documentName = c.documentId.map { _ in document?.fileName ?? "the certificate on file" }
        self.checks = checks.map {
            let lot = [$0.lot?.quantity.map(ImportCertificate.quantityText), $0.lot?.unit].compactMap { $0 }.joined(separator: " ")
            return CheckRow(id: $0.id, at: Formatting.dateTime($0.checkedAt, in: zone), product: $0.importLine ?? $0.product, lot: lot,
                            decision: $0.decision.rawValue.uppercased(), tone: Formatting.tone(of: $0.decision), askedBy: $0.askedBy)
        }
    }
}
