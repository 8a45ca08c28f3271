/// What an alert is about. The raw values are the webhook event types consumers filter on.
public enum AlertKind: String, Sendable, Codable, CaseIterable {
    case certificateExpiring = "certificate.expiring"
    case certificateExpired = "certificate.expired"
    case statusChanged = "supplier.status_changed"
    case verificationFailed = "verification.failed"
    /// An uploaded certificate that disagrees with INTEGRITY's record.
    case documentMismatch = "document.mismatch"
    /// A NOP fraud notice names the supplier.
    case fraudNotice = "supplier.fraud_notice"
    /// A supplier answered a certificate request; the reading's verdict is in the data.
    case documentReceived = "document.received"
}

/// Which date governs a certificate's lapse, said in every message so a buyer knows whether the
/// certificate ends or only its annual update is due.
public enum GoverningDate: Hashable, Sendable {
    /// An explicit valid-to date (EU and most other schemes): the certificate ends.
    case validTo(CalendarDate)
    /// The NOP anniversary date: US certificates do not expire, the annual update is due.
    case anniversary(CalendarDate)

    public var date: CalendarDate {
        switch self {
        case .validTo(let date), .anniversary(let date): date
        }
    }

    /// `valid_to` or `anniversary`, as stored and sent.
    public var basis: String {
        switch self {
        case .validTo: "valid_to"
        case .anniversary: "anniversary"
        }
    }

    /// The date where the scheme has one, else the NOP anniversary date; nil when neither is known.
    public init?(_ certificate: Certificate) {
        if let validTo = certificate.validTo {
            self = .validTo(validTo)
        } else if let anniversary = certificate.anniversaryDate {
            self = .anniversary(anniversary)
        } else {
            return nil
        }
    }
}

/// An expiry alert the planner wants to exist. Its key — supplier, kind, threshold and governing
/// date — is unique in the database, so planning it twice creates it once.
public struct PlannedExpiryAlert: Hashable, Sendable {
    public var supplierId: String
    public var kind: AlertKind
    /// The threshold that fired (60, 30, 7, 1); 0 for `certificate.expired`.
    public var thresholdDays: Int
    public var governing: GoverningDate
    /// Days from the scan's day to the governing date; negative once it has passed.
    public var daysLeft: Int
}

/// Plans the expiry ladder: for each certified certificate, the nearest threshold its governing
/// date has come within, or `certificate.expired` the day after the date. Only the nearest
/// threshold is planned, so a supplier added 20 days before gets one 30-day alert, not three;
/// a renewed certificate has a new governing date and so a new ladder.
public struct AlertPlanner: Sendable {
    /// `alerts.thresholdDays`, any order.
    public let thresholds: [Int]

    public init(thresholdDays: [Int]) {
        thresholds = Array(Set(thresholdDays.filter { $0 > 0 })).sorted()
    }

    public func plan(supplierId: String, certificate: Certificate?, today: CalendarDate) -> PlannedExpiryAlert? {
        guard let certificate, certificate.status == .certified, let governing = GoverningDate(certificate) else { return nil }
        return plan(supplierId: supplierId, certified: governing, today: today)
    }

    /// The plan for a certificate known to be certified, from its governing date alone.
    public func plan(supplierId: String, certified governing: GoverningDate, today: CalendarDate) -> PlannedExpiryAlert? {
        let daysLeft = governing.date.daysSinceEpoch - today.daysSinceEpoch
        if daysLeft < 0 {
            return PlannedExpiryAlert(supplierId: supplierId, kind: .certificateExpired, thresholdDays: 0, governing: governing,
                                      daysLeft: daysLeft)
        }
        guard let threshold = thresholds.first(where: { daysLeft <= $0 }) else { return nil }
        return PlannedExpiryAlert(supplierId: supplierId, kind: .certificateExpiring, thresholdDays: threshold, governing: governing,
                                  daysLeft: daysLeft)
    }
}
