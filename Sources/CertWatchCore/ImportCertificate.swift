import Foundation

/// A NOP Import Certificate (7 CFR 205.273): the certifier's record that one shipment
/// (`shipment`), or the shipments of a period up to a total (`timeFrame`), of organic products
/// may enter the US from an exporter to an importer.
public struct ImportCertificate: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case shipment
        case timeFrame = "time_frame"
    }

    /// A product it covers: for a time-frame certificate, the total authorised over the period.
    public struct Line: Sendable, Hashable, Codable {
        public var product: String
        public var quantity: Double
        public var unit: String

        public init(product: String, quantity: Double, unit: String) {
            self.product = product
            self.quantity = quantity
            self.unit = unit
        }
    }

    public var id: String
    /// The certificate's number as printed; unique.
    public var number: String
    /// The exporter: a supplier in the registry.
    public var exporterId: String
    public var importer: String
    public var kind: Kind
    /// `shipment`: the day it was shipped.
    public var shipmentDate: CalendarDate?
    /// `time_frame`: the period it covers, both days included.
    public var validFrom: CalendarDate?
    public var validTo: CalendarDate?
    public var portOfEntry: String?
    /// The certifier that issued it.
    public var certifier: String?
    public var lines: [Line]
    /// The certificate on file (a document of kind `import_certificate`), if filed.
    public var documentId: String?
    /// What 7 USC 6502(13) lists and brokers file, each optional (nil: not recorded): where the
    /// shipment comes from and goes to, its Harmonized Tariff Schedule code (`NNNN.NN[.NN[NN]]`),
    /// its total weight in kilograms, and its lot numbers.
    public var origin: String?
    public var destination: String?
    public var htsCode: String?
    public var totalWeightKg: Double?
    public var lotNumbers: [String]

    /// Whether the number is an electronic one (`NNN-NNNNNNNNNN-NNNNNN`) rather than free text.
    public var numberIsElectronic: Bool { ImportCertificateNumber.isElectronic(number) }

    public init(
        id: String, number: String, exporterId: String, importer: String, kind: Kind, shipmentDate: CalendarDate? = nil,
        validFrom: CalendarDate? = nil, validTo: CalendarDate? = nil, portOfEntry: String? = nil, certifier: String? = nil,
        lines: [Line], documentId: String? = nil, origin: String? = nil, destination: String? = nil, htsCode: String? = nil,
        totalWeightKg: Double? = nil, lotNumbers: [String] = []
    ) {
        self.origin = origin
        self.destination = destination
        self.htsCode = htsCode
        self.totalWeightKg = totalWeightKg
        self.lotNumbers = lotNumbers
        self.id = id
        self.number = number
        self.exporterId = exporterId
        self.importer = importer
        self.kind = kind
        self.shipmentDate = shipmentDate
        self.validFrom = validFrom
        self.validTo = validTo
        self.portOfEntry = portOfEntry
        self.certifier = certifier
        self.lines = lines
        self.documentId = documentId
    }

    /// Whether a delivery on `date` falls under it: on or after the shipment date, or within the period.
    public func covers(_ date: CalendarDate) -> Bool {
        switch kind {
        case .shipment: shipmentDate.map { $0 <= date } ?? false
        case .timeFrame: (validFrom.map { $0 <= date } ?? false) && (validTo.map { date <= $0 } ?? false)
        }
    }

    /// The period in words, for messages.
    public var periodText: String {
        switch kind {
        case .shipment: "shipped \(shipmentDate?.description ?? "on no recorded day")"
        case .timeFrame: "valid \(validFrom?.description ?? "?") to \(validTo?.description ?? "?")"
        }
    }

    /// A quantity as people write it: 20000, 12.5.
    public static func quantityText(_ quantity: Double) -> String {
        quantity.rounded() == quantity && abs(quantity) < 1e15 ? String(Int64(quantity)) : String(quantity)
    }
}

/// The unit a quantity is counted in, compared without case or surrounding space ("KG" is "kg").
public enum QuantityUnit {
    public static func key(_ unit: String) -> String { unit.trimmingWhitespace().lowercased() }
}
