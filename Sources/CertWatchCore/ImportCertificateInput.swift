import Foundation

/// An import certificate as the API and the CLI state it, before validation. The exporter is
/// resolved to a supplier by the caller (`exporterId`).
public struct ImportCertificateInput: Codable, Sendable, Equatable {
    public struct LineInput: Codable, Sendable, Equatable {
        public var product: String?
        public var quantity: Double?
        public var unit: String?

        public init(product: String? = nil, quantity: Double? = nil, unit: String? = nil) {
            self.product = product
            self.quantity = quantity
            self.unit = unit
        }
    }

    public var number: String?
    public var exporterId: String?
    public var exporterNopOperationId: String?
    public var importer: String?
    public var kind: String?
    public var shipmentDate: String?
    public var validFrom: String?
    public var validTo: String?
    public var portOfEntry: String?
    public var certifier: String?
    public var products: [LineInput]?
    public var documentId: String?

    public init(
        number: String? = nil, exporterId: String? = nil, exporterNopOperationId: String? = nil, importer: String? = nil,
        kind: String? = nil, shipmentDate: String? = nil, validFrom: String? = nil, validTo: String? = nil,
        portOfEntry: String? = nil, certifier: String? = nil, products: [LineInput]? = nil, documentId: String? = nil
    ) {
        self.number = number
        self.exporterId = exporterId
        self.exporterNopOperationId = exporterNopOperationId
        self.importer = importer
        self.kind = kind
        self.shipmentDate = shipmentDate
        self.validFrom = validFrom
        self.validTo = validTo
        self.portOfEntry = portOfEntry
        self.certifier = certifier
        self.products = products
        self.documentId = documentId
    }

    public static let maxLines = 200

    /// The certificate, for the exporter the caller resolved, or every bad field at once.
    public func validated(id: String, exporterId: String?) throws(ValidationFailure) -> ImportCertificate {
        var check = FieldChecker()
        let number = check.required(number, field: "number", maxLength: 100)
        if exporterId == nil { check.fail("exporterId", "must name a supplier in the registry (exporterId or exporterNopOperationId)") }
        let importer = check.required(importer, field: "importer", maxLength: SupplierLimits.maxNameLength)
        let kindText = check.optional(kind)
        let kind = kindText.flatMap(ImportCertificate.Kind.init(rawValue:))
        if kind == nil {
            check.fail("kind", "must be one of \(ImportCertificate.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let shipmentDate = check.date(shipmentDate, field: "shipmentDate")
        let validFrom = check.date(validFrom, field: "validFrom"), validTo = check.date(validTo, field: "validTo")
        switch kind {
        case .shipment where shipmentDate == nil: check.fail("shipmentDate", "a shipment certificate needs its shipment date")
        case .timeFrame:
            if let validFrom, let validTo {
                if validTo < validFrom { check.fail("validTo", "is before validFrom") }
            } else {
                check.fail("validTo", "a time-frame certificate needs validFrom and validTo")
            }
        default: break
        }
        var lines: [ImportCertificate.Line] = []
        let given = products ?? []
        if given.isEmpty { check.fail("products", "at least one product with its quantity and unit is required") }
        if given.count > Self.maxLines { check.fail("products", "has more than \(Self.maxLines) entries") }
        for (index, line) in given.enumerated() {
            let product = check.required(line.product, field: "products[\(index)].product", maxLength: SupplierLimits.maxNameLength)
            let unit = check.required(line.unit, field: "products[\(index)].unit", maxLength: 20)
            guard let quantity = line.quantity, quantity > 0, quantity.isFinite else {
                check.fail("products[\(index)].quantity", "must be a number above 0")
                continue
            }
            if let product, let unit { lines.append(.init(product: product, quantity: quantity, unit: unit)) }
        }
        guard check.errors.isEmpty, let number, let exporterId, let importer, let kind else { throw ValidationFailure(check.errors) }
        return ImportCertificate(
            id: id, number: number, exporterId: exporterId, importer: importer, kind: kind,
            shipmentDate: kind == .shipment ? shipmentDate : nil, validFrom: kind == .timeFrame ? validFrom : nil,
            validTo: kind == .timeFrame ? validTo : nil, portOfEntry: check.optional(portOfEntry), certifier: check.optional(certifier),
            lines: lines, documentId: check.optional(documentId))
    }
}
