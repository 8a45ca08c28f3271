import CertWatchCore

/// The quantities a batch has counted against import-certificate lines so far: its later checks
/// see them before anything is committed.
struct CountedLots {
    private var quantities: [String: [String: Double]] = [:]

    func used(_ number: String) -> [String: Double] { quantities[number] ?? [:] }

    /// Counts a lot that was not blocked against its line, when it is in the line's unit.
    mutating func count(_ lot: Lot, recorded: ImportCertificate?, _ assessment: PurchaseAssessment) {
        guard assessment.decision != .block, let number = lot.importCertificate, let line = assessment.importLine,
              let quantity = lot.quantity, let recordedLine = recorded?.lines.first(where: { $0.product == line }),
              QuantityUnit.key(lot.unit ?? "") == QuantityUnit.key(recordedLine.unit) else { return }
        quantities[number, default: [:]][line, default: 0] += quantity
    }
}
