import CertWatchCore
import Foundation

extension PurchaseGate {
    /// What a buyer asks: may we buy this product from this supplier for delivery on this date?
    /// Input from outside becomes a question through `validated`, so the API, the CLI and the
    /// page refuse the same things.
    public struct Question: Sendable {
        public var supplier: SupplierReference
        public var product: String
        /// The delivery date; today (UTC) when nil.
        public var date: CalendarDate?
        /// Who asks: an API key's name or `cli:USER`.
        public var askedBy: String
        /// The lot: its NOP Import Certificate and quantity, for imports.
        public var lot: Lot

        public init(supplier: SupplierReference, product: String, date: CalendarDate? = nil, askedBy: String, lot: Lot = Lot()) {
            self.supplier = supplier
            self.product = product
            self.date = date
            self.askedBy = askedBy
            self.lot = lot
        }
    }
}

extension PurchaseGate.Question {
    /// The longest product name a question may carry.
    public static let maxProductLength = 200

    /// The one validation of a purchase question, for the API, the CLI and the web page alike:
    /// the product is trimmed and must name something in at most 200 characters; no field may
    /// hold a NUL (PostgreSQL cannot store one as text, and SQLite would keep less than was
    /// hashed into the audit chain); a NOP operation ID has 10 digits. Every bad field is named.
    ///
    /// `supplierField` is what the caller calls the supplier (`supplierId`, `nopOperationId` or
    /// the CLI's `SUPPLIER`), so each front end names its own field; a nil `supplier` is refused
    /// with `missingSupplier`.
    public static func validated(
        supplier: SupplierReference?, supplierField: String, missingSupplier: String = "must name the supplier",
        product: String, date: CalendarDate?, askedBy: String, lot: Lot = Lot()
    ) throws(ValidationFailure) -> PurchaseGate.Question {
        var errors: [FieldError] = []
        // Lengths count Unicode scalars of the text as sent, as the OpenAPI document's maxLength does.
        let sentLength = product.unicodeScalars.count
        let product = product.trimmingWhitespace()
        if product.isEmpty || sentLength > maxProductLength {
            errors.append(FieldError(field: "product", message: "must name the product, in at most \(maxProductLength) characters"))
        } else if product.contains("\0") {
            errors.append(FieldError(field: "product", message: "must not contain NUL characters"))
        }
        switch supplier {
        case nil:
            errors.append(FieldError(field: supplierField, message: missingSupplier))
        case .id(let text)?, .typed(let text)?:
            if text.contains("\0") { errors.append(FieldError(field: supplierField, message: "must not contain NUL characters")) }
            if text.trimmingWhitespace().isEmpty { errors.append(FieldError(field: supplierField, message: "must name the supplier")) }
        case .nopOperationId(let text)?:
            if NOPOperationID(text) == nil {
                errors.append(FieldError(field: supplierField, message: "must be INTEGRITY's 10-digit NOP operation ID"))
            }
        }
        if let date, !CalendarDate.inputRange.contains(date) {
            errors.append(FieldError(field: "date", message: "must be \(CalendarDate.inputRule)"))
        }
        let lot = validatedLot(lot, errors: &errors)
        guard errors.isEmpty, let supplier else { throw ValidationFailure(errors) }
        return PurchaseGate.Question(supplier: supplier, product: product, date: date, askedBy: askedBy, lot: lot)
    }

    /// The number trimmed (empty is none), a quantity above 0 with its unit, or neither.
    private static func validatedLot(_ lot: Lot, errors: inout [FieldError]) -> Lot {
        let number = lot.importCertificate?.trimmingWhitespace()
        if let number, (lot.importCertificate?.unicodeScalars.count ?? 0) > 100 || number.contains("\0") {
            errors.append(FieldError(field: "importCertificate", message: "must be the certificate's number, in at most 100 characters"))
        }
        let unit = lot.unit?.trimmingWhitespace()
        if let quantity = lot.quantity, !(quantity > 0 && quantity.isFinite) {
            errors.append(FieldError(field: "quantity", message: "must be a number above 0"))
        }
        if lot.quantity != nil, unit?.isEmpty ?? true { errors.append(FieldError(field: "unit", message: "is required with a quantity")) }
        if lot.quantity == nil, !(unit?.isEmpty ?? true) { errors.append(FieldError(field: "quantity", message: "is required with a unit")) }
        if let unit, (lot.unit?.unicodeScalars.count ?? 0) > 20 || unit.contains("\0") { errors.append(FieldError(field: "unit", message: "must be at most 20 characters")) }
        // An electronic number typed with spaces or other dashes names the same certificate.
        return Lot(importCertificate: number?.isEmpty == false ? number.map(ImportCertificateNumber.canonical) : nil, quantity: lot.quantity,
                                unit: unit?.isEmpty == false ? unit : nil)
    }
}
