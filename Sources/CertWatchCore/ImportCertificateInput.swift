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
    public var origin: String?
    public var destination: String?
    public var htsCode: String?
    public var totalWeightKg: Double?
    public var lotNumbers: [String]?

    public init(
        number: String? = nil, exporterId: String? = nil, exporterNopOperationId: String? = nil, importer: String? = nil,
        kind: String? = nil, shipmentDate: String? = nil, validFrom: String? = nil, validTo: String? = nil,
        portOfEntry: String? = nil, certifier: String? = nil, products: [LineInput]? = nil, documentId: String? = nil,
        origin: String? = nil, destination: String? = nil, htsCode: String? = nil, totalWeightKg: Double? = nil, lotNumbers: [String]? = nil
    ) {
        self.origin = origin
        self.destination = destination
        self.htsCode = htsCode
        self.totalWeightKg = totalWeightKg
        self.lotNumbers = lotNumbers
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
        let number = check.required(number, field: "number", maxLength: 100).map(ImportCertificateNumber.canonical)
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
        for (field, value) in [("origin", origin), ("destination", destination)] where (value?.unicodeScalars.count ?? 0) > 200 {
            check.fail(field, "is longer than 200 characters")
        }
        // Given, it must be a code (blank is not "none" here: the API document's pattern says so).
        let htsCode = htsCode.flatMap { text in
            let code = Self.htsCode(text)
            if code == nil { check.fail("htsCode", "must be a Harmonized Tariff Schedule code of 6, 8 or 10 digits, e.g. 0804.40 or 0804.40.00.10") }
            return code
        }
        if let weight = totalWeightKg, !(weight > 0 && weight.isFinite) { check.fail("totalWeightKg", "must be a number of kilograms above 0") }
        var lots: [String] = []
        let givenLots = lotNumbers ?? []
        if givenLots.count > Self.maxLots { check.fail("lotNumbers", "has more than \(Self.maxLots) entries") }
        for (index, lot) in givenLots.enumerated() {
            guard let text = check.required(lot, field: "lotNumbers[\(index)]", maxLength: 100) else { continue }
            if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                check.fail("lotNumbers[\(index)]", "may not contain control characters")
            } else if !lots.contains(text) {
                lots.append(text)
            }
        }
        guard check.errors.isEmpty, let number, let exporterId, let importer, let kind else { throw ValidationFailure(check.errors) }
        return ImportCertificate(
            id: id, number: number, exporterId: exporterId, importer: importer, kind: kind,
            shipmentDate: kind == .shipment ? shipmentDate : nil, validFrom: kind == .timeFrame ? validFrom : nil,
            validTo: kind == .timeFrame ? validTo : nil, portOfEntry: check.optional(portOfEntry), certifier: check.optional(certifier),
            lines: lines, documentId: check.optional(documentId), origin: check.optional(origin), destination: check.optional(destination),
            htsCode: htsCode,
            totalWeightKg: totalWeightKg, lotNumbers: lots)
    }

    public static let maxLots = 100

    /// A Harmonized Tariff Schedule code in its written form, `NNNN.NN`, `NNNN.NN.NN` or
    /// `NNNN.NN.NN.NN`, from 6, 8 or 10 digits with or without those dots (`openapi.yaml`:
    /// `^[0-9]{4}\.?[0-9]{2}(\.?[0-9]{2}(\.?[0-9]{2})?)?$`); nil for anything else.
    static func htsCode(_ text: String) -> String? {
        var groups: [String] = []
        var rest = Substring(text)
        for (index, size) in [4, 2, 2, 2].enumerated() {
            if index > 1, rest.isEmpty { break }
            if index > 0, rest.first == "." { rest = rest.dropFirst() }
            let group = rest.prefix(size)
            guard group.count == size, group.allSatisfy(\.isASCIIDigit) else { return nil }
            groups.append(String(group))
            rest = rest.dropFirst(size)
        }
        return rest.isEmpty ? groups.joined(separator: ".") : nil
    }
}
