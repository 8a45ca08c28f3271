import CertWatchCore

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
        supplier: PurchaseGate.SupplierReference?, supplierField: String, missingSupplier: String = "must name the supplier",
        product: String, date: CalendarDate?, askedBy: String
    ) throws(ValidationFailure) -> PurchaseGate.Question {
        var errors: [FieldError] = []
        let product = product.trimmingWhitespace()
        if product.isEmpty || product.count > maxProductLength {
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
        guard errors.isEmpty, let supplier else { throw ValidationFailure(errors) }
        return PurchaseGate.Question(supplier: supplier, product: product, date: date, askedBy: askedBy)
    }
}
