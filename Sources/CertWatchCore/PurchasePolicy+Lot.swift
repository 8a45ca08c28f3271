import Foundation

/// `policy.importCertificate`: what a check of an importing supplier answers without a NOP
/// Import Certificate.
public enum ImportCertificateRule: String, Sendable, Equatable, CaseIterable {
    case block
    case review
    case off
}

extension PurchasePolicy {
    /// Whether the lot has the NOP Import Certificate an import needs (7 CFR 205.273), for this
    /// exporter, product, date and quantity; and the certificate's line the lot counts against.
    func lotReasons(_ supplier: Supplier, _ facts: PurchaseFacts) -> ([PurchaseReason], String?) {
        let lot = facts.lot
        guard let number = lot.importCertificate else {
            guard supplier.isImporter, importCertificate != .off else { return ([], nil) }
            let why = supplier.imports ? "is marked as importing" : "is in \(supplier.country ?? "another country")"
            return ([PurchaseReason(.importCertificateMissing,
                                    "\(supplier.name) \(why): every imported shipment needs a NOP Import Certificate; give its number.",
                                    decision: importCertificate == .review ? .review : .block)], nil)
        }
        guard let certificate = facts.importCertificateOnRecord else {
            return ([PurchaseReason(.importCertificateUnknown, "No NOP Import Certificate “\(number)” is on record; record it first.")], nil)
        }
        var reasons: [PurchaseReason] = []
        if certificate.exporterId != supplier.id {
            reasons.append(PurchaseReason(.importCertificateOtherExporter, "Import certificate \(number) names another exporter, not \(supplier.name)."))
        }
        if !certificate.covers(facts.date) {
            reasons.append(PurchaseReason(.importCertificateOutsidePeriod, "Import certificate \(number) is \(certificate.periodText); it does not cover \(facts.date)."))
        }
        let matcher = Self.lineMatcher(certificate, organic: supplier.certificate)
        guard case .matched(let matches) = matcher.match(facts.product),
              let line = certificate.lines.first(where: { $0.product == matches[0].item.items.first }) else {
            let listed = certificate.lines.map(\.product).joined(separator: ", ")
            reasons.append(PurchaseReason(.importCertificateProductNotListed, "“\(facts.product)” is not on import certificate \(number), which lists \(listed)."))
            return (reasons, nil)
        }
        if let quantity = lot.quantity {
            reasons += Self.quantityReasons(number, certificate, line, quantity: quantity, unit: lot.unit ?? "", used: facts.usedByLine[line.product] ?? 0)
        }
        return (reasons, line.product)
    }

    /// The certificate's lines as items to match the product against, each with the varieties the
    /// organic certificate lists for it: "Hass avocados" is on a line of "Avocados".
    private static func lineMatcher(_ certificate: ImportCertificate, organic: Certificate?) -> ProductMatcher {
        let organicItems = ProductMatcher(items: organic?.items ?? [])
        return ProductMatcher(items: certificate.lines.map { line in
            var varieties: [String] = []
            if case .matched(let matches) = organicItems.match(line.product) { varieties = matches.flatMap(\.item.varieties) }
            return CertifiedItem(scope: .handling, items: [line.product], varieties: varieties)
        })
    }

    private static func quantityReasons(_ number: String, _ certificate: ImportCertificate, _ line: ImportCertificate.Line,
                                        quantity: Double, unit: String, used: Double) -> [PurchaseReason] {
        let q = ImportCertificate.quantityText
        guard QuantityUnit.key(unit) == QuantityUnit.key(line.unit) else {
            return [PurchaseReason(.importCertificateQuantityExceeded,
                                   "Import certificate \(number) authorises \(line.product) in \(line.unit), not \(unit): compare the quantity by hand.",
                                   decision: .review)]
        }
        guard used + quantity > line.quantity else { return [] }
        let total = certificate.kind == .timeFrame ? "a total of " : ""
        return [PurchaseReason(.importCertificateQuantityExceeded,
                               "Import certificate \(number) authorises \(total)\(q(line.quantity)) \(line.unit) of \(line.product); "
                                   + "\(q(used)) \(line.unit) already checked against it, so \(q(quantity)) more would exceed it by \(q(used + quantity - line.quantity)) \(line.unit).")]
    }
}
