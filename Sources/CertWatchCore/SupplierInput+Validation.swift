import Foundation

/// Limits that keep one record readable and one bad client from filling the database.
public enum SupplierLimits {
    public static let maxNameLength = 200
    public static let maxListCount = 50
    public static let maxTagLength = 50
    public static let maxItems = 2_000
}

extension SupplierInput {
    /// Builds the domain supplier, or throws `ValidationFailure` listing every bad field.
    public func validated(id: String) throws(ValidationFailure) -> Supplier {
        var check = FieldChecker()
        let name = check.required(name, field: "name", maxLength: SupplierLimits.maxNameLength)
        let otherNames = check.list(otherNames, field: "otherNames", maxLength: SupplierLimits.maxNameLength)
        var nopID: NOPOperationID?
        if let raw = nopOperationId?.trimmingWhitespace(), !raw.isEmpty {
            nopID = NOPOperationID(raw)
            if nopID == nil {
                check.fail("nopOperationId", "must be exactly 10 digits (INTEGRITY's NOP operation ID), got \"\(raw)\"")
            }
        }
        let emails = check.emails(contactEmails, field: "contactEmails")
        let supplierEmails = check.emails(supplierEmails, field: "supplierEmails")
        let zone = check.optional(timeZone)
        if let zone, !FieldChecker.isTimeZone(zone) {
            check.fail("timeZone", "\"\(zone)\" is not an IANA time zone (e.g. America/Chicago)")
        }
        let tags = check.list(tags, field: "tags", maxLength: SupplierLimits.maxTagLength)
        for (index, tag) in tags.enumerated() where tag.contains(where: { $0 == ";" || $0 == "," }) {
            check.fail("tags[\(index)]", "tags may not contain ';' or ','")
        }
        let certificate = certificate.flatMap { $0.validated(check: &check, field: "certificate") }
        if !check.errors.isEmpty { throw ValidationFailure(check.errors) }
        return Supplier(
            id: id, name: name ?? "", otherNames: otherNames, nopOperationId: nopID,
            certifier: check.optional(certifier), country: check.optional(country),
            contactEmails: emails, supplierEmails: supplierEmails, timeZone: zone, tags: tags, certificate: certificate, imports: imports ?? false)
    }
}

extension CertificateInput {
    func validated(check: inout FieldChecker, field: String) -> Certificate? {
        let errorsBefore = check.errors.count
        var scheme = CertificationScheme.nop
        if let raw = check.optional(self.scheme) {
            if let parsed = CertificationScheme(rawValue: raw.lowercased()) {
                scheme = parsed
            } else {
                check.fail("\(field).scheme", "unknown scheme \"\(raw)\"; expected one of nop, eu, other")
            }
        }
        let status = check.status(status, text: statusText, field: "\(field).status", required: true)
        var scopes: [Scope: ScopeStatus] = [:]
        for (key, value) in (self.scopes ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let scope = Scope(loose: key) else {
                check.fail("\(field).scopes.\(key)", "unknown scope; expected crops, livestock, wild_crops or handling")
                continue
            }
            let path = "\(field).scopes.\(key)"
            if let scopeStatus = check.status(value.status, text: value.statusText, field: "\(path).status", required: true) {
                scopes[scope] = ScopeStatus(
                    status: scopeStatus, effectiveDate: check.date(value.effectiveDate, field: "\(path).effectiveDate"))
            }
        }
        let items = self.items ?? []
        if items.count > SupplierLimits.maxItems {
            check.fail("\(field).items", "at most \(SupplierLimits.maxItems) items")
        }
        let certifiedItems = items.enumerated().compactMap { index, item in
            item.validated(check: &check, field: "\(field).items[\(index)]")
        }
        let certificate = Certificate(
            scheme: scheme, number: check.optional(number), status: status ?? .certified,
            statusEffectiveDate: check.date(statusEffectiveDate, field: "\(field).statusEffectiveDate"),
            anniversaryDate: check.date(anniversaryDate, field: "\(field).anniversaryDate"),
            validTo: check.date(validTo, field: "\(field).validTo"),
            scopes: scopes, items: certifiedItems)
        return check.errors.count == errorsBefore ? certificate : nil
    }
}

extension CertifiedItemInput {
    func validated(check: inout FieldChecker, field: String) -> CertifiedItem? {
        var scope: Scope?
        if let raw = check.optional(self.scope) {
            scope = Scope(loose: raw)
            if scope == nil {
                check.fail("\(field).scope", "unknown scope \"\(raw)\"; expected crops, livestock, wild_crops or handling")
            }
        } else {
            check.fail("\(field).scope", "is required")
        }
        let names = check.list(items, field: "\(field).items", maxLength: SupplierLimits.maxNameLength)
        if names.isEmpty { check.fail("\(field).items", "needs at least one item name") }
        let varieties = check.list(varieties, field: "\(field).varieties", maxLength: SupplierLimits.maxNameLength)
        let status = check.status(status, text: statusText, field: "\(field).status", required: false)
        let date = check.date(statusEffectiveDate, field: "\(field).statusEffectiveDate")
        guard let scope, !names.isEmpty else { return nil }
        return CertifiedItem(
            scope: scope, category: check.optional(category), items: names, varieties: varieties,
            status: status ?? .certified, statusEffectiveDate: date)
    }
}
