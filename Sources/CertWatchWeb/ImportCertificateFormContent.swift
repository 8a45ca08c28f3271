import CertWatchCore
import CertWatchStore
import Foundation

/// What the import certificate form shows: what was typed, and each refusal at its field
/// (`aria-describedby`), as the supplier form does; a refusal with no field of its own is listed above.
struct ImportCertificateFormContent: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }
    struct ProductRow: Sendable {
        var index: Int
        /// 1-based, for labels.
        var number: Int
        var product: String
        var quantity: String
        var unit: String
        var productError: String?
        var quantityError: String?
        var unitError: String?
    }

    var fields: [FormField]
    var shipmentFields: [FormField]
    var kinds: [Option]
    var kindError: String?
    var rows: [ProductRow]
    var productsError: String?
    var documents: [Option]
    var documentError: String?
    var otherErrors: [String]

    init(_ posted: ImportCertificateForm, errors: [FieldError], exporterName: String?, documents stored: [StoredDocument]) {
        var remaining = errors
        func error(_ name: String) -> String? {
            let mine = remaining.filter { $0.field == name }
            remaining.removeAll { $0.field == name }
            return mine.isEmpty ? nil : mine.map { Formatting.sentence($0.message) }.joined(separator: " ")
        }
        func field(_ name: String, _ label: String, _ hint: String? = nil, date: Bool = false) -> FormField {
            FormField(name: name, label: label, value: posted.values[name] ?? "", hint: hint, error: error(name), isDate: date)
        }
        let exporterHint = exporterName.map { "Exporter: \($0)" } ?? "The exporting supplier's CertWatch ID or NOP ID, as on its page"
        fields = [
            field("exporter", "Exporter", exporterHint),
            field("number", "Certificate number", "As printed; an electronic number (NNN-NNNNNNNNNN-NNNNNN) is stored with hyphens"),
            field("importer", "Importer", "The importer of record it names"),
            field("shipmentDate", "Shipment date", "One shipment: the day it was shipped", date: true),
            field("validFrom", "Valid from", "Time frame: the first day it covers", date: true),
            field("validTo", "Valid to", "Time frame: the last day it covers", date: true),
            field("portOfEntry", "Port of entry"),
            field("certifier", "Certifier", "The certifier that issued it"),
        ]
        shipmentFields = [
            field("origin", "Origin", "Where the shipment comes from"),
            field("destination", "Destination", "Where it goes"),
            field("htsCode", "HTS code", "Harmonized Tariff Schedule code, e.g. 0804.40 or 0804.40.00.10"),
            field("totalWeightKg", "Total weight (kg)"),
            field("lotNumbers", "Lot numbers", "Separated by ;"),
        ]
        let kind = posted.values["kind"]
        kinds = ImportCertificate.Kind.allCases.map {
            Option(value: $0.rawValue, label: $0 == .shipment ? "One shipment" : "Shipments over a period (time frame)", selected: $0.rawValue == kind)
        }
        kindError = error("kind")
        rows = (0..<ImportCertificateFormPages.productRows).map { index in
            let (product, quantity, unit) = (error("product\(index)"), error("quantity\(index)"), error("unit\(index)"))
            return ProductRow(index: index, number: index + 1, product: posted.values["product\(index)"] ?? "",
                              quantity: posted.values["quantity\(index)"] ?? "", unit: posted.values["unit\(index)"] ?? "",
                              productError: product, quantityError: quantity, unitError: unit)
        }
        productsError = error("products")
        let chosen = posted.values["documentId"]
        documents = [Option(value: "", label: "None", selected: chosen == nil)] + stored.map {
            Option(value: $0.id, label: "\($0.fileName ?? $0.type.fileExtension.uppercased()), filed \($0.uploadedAt.utcMinuteText)", selected: $0.id == chosen)
        }
        documentError = error("documentId")
        otherErrors = remaining.map { "\($0.field): \(Formatting.sentence($0.message))" }
    }
}
