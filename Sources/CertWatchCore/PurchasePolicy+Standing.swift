import Foundation

extension PurchasePolicy {
    /// What every purchase from the supplier on `date` meets whatever the product and the lot:
    /// its certificate (none, its status, validity and anniversary), the paper on file, NOP's
    /// fraud notices, INTEGRITY not listing it or no NOP ID to look it up by, and for an importer
    /// whether any NOP Import Certificate on record covers the date. The dashboard's "blocked or
    /// held for review now", judged by the gate's own rules; verification age and failures are
    /// listed apart. `importCertificates` are the supplier's, as an exporter.
    public func standing(_ snapshot: SupplierSnapshot, importCertificates: [ImportCertificate], on date: CalendarDate) -> PurchaseAssessment {
        let supplier = snapshot.supplier
        var reasons = paperReasons(supplier, snapshot.certificateOnFile)
            + Self.fraudReasons(snapshot.fraudNotices, paper: snapshot.certificateOnFile)
        if let nop = supplier.nopOperationId {
            if snapshot.latestVerification?.outcome == .notFound {
                reasons.append(PurchaseReason(.notFoundInIntegrity, "INTEGRITY does not list operation \(nop.rawValue)."))
            }
        } else {
            reasons.append(Self.notLinked(supplier))
        }
        if supplier.isImporter, importCertificate != .off,
           !importCertificates.contains(where: { $0.exporterId == supplier.id && $0.covers(date) }) {
            reasons.append(PurchaseReason(.importCertificateMissing,
                                          "\(supplier.name) imports, and no NOP Import Certificate on record covers \(date).",
                                          decision: importCertificate == .review ? .review : .block))
        }
        guard let certificate = supplier.certificate else {
            reasons.append(PurchaseReason(.noCertificate, "No organic certificate is on record for \(supplier.name)."))
            return Self.answer(reasons, matchedItem: nil)
        }
        return Self.answer(reasons + certificateAssessment(certificate, on: date).reasons, matchedItem: nil)
    }
}
