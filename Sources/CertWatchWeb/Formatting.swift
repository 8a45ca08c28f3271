import CertWatchCore
import CertWatchStore
import Foundation

/// How the page writes dates, statuses and counts: in words, never by colour alone.
enum Formatting {
    /// A time of day with its zone, as a person reads it: `14:05 UTC`, `08:05 CST`.
    static func time(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let abbreviation = zone.abbreviation(for: date) ?? zone.identifier
        return String(format: "%02d:%02d ", parts.hour ?? 0, parts.minute ?? 0) + (abbreviation == "GMT" ? "UTC" : abbreviation)
    }

    /// A date and time with its zone: `2026-12-06 14:05 UTC`.
    static func dateTime(_ date: Date, in zone: TimeZone) -> String {
        CalendarDate(date, in: zone).description + " " + time(date, in: zone)
    }

    /// Whole days from `today` to `date`; negative once it has passed.
    static func days(from today: CalendarDate, to date: CalendarDate) -> Int {
        Int((date.startOfDayUTC.timeIntervalSince(today.startOfDayUTC) / 86_400).rounded())
    }

    /// "in 45 days", "today", "3 days ago".
    static func relative(days: Int) -> String {
        switch days {
        case 0: "today"
        case 1: "tomorrow"
        case -1: "yesterday"
        case 2...: "in \(days) days"
        default: "\(-days) days ago"
        }
    }

    /// The badge class of a status: the text always says the status too.
    static func tone(ofStatusCode code: String?) -> String {
        switch code {
        case "certified": "good"
        case nil, "transitional", "other": "warn"
        default: "bad"
        }
    }

    static func tone(of decision: PurchaseDecision) -> String {
        switch decision {
        case .allow: "good"
        case .review: "warn"
        case .block: "bad"
        }
    }

    /// A validation message as a sentence: capital first letter, full stop.
    static func sentence(_ message: String) -> String {
        guard let first = message.first else { return message }
        return first.uppercased() + message.dropFirst() + (message.hasSuffix(".") ? "" : ".")
    }

    /// A job's JSON summary (`{"verification":{"verified":4,…}}`) in words: "verification: verified 4, …".
    static func jobSummary(_ text: String?) -> String? {
        guard let text, let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return text }
        return object.keys.sorted().map { part in
            guard let counts = object[part] as? [String: Any] else { return "\(part): \(object[part] ?? "")" }
            return "\(part): " + counts.keys.sorted().map { "\($0) \(counts[$0] ?? "")" }.joined(separator: ", ")
        }.joined(separator: "; ")
    }

    static func statusWords(_ code: String?) -> String {
        guard let code else { return "No certificate" }
        return CertificationStatus(codeOrText: code)?.text ?? code
    }
}

/// A certificate's governing date as the page shows it.
struct GoverningView: Sendable {
    var kind: String
    var date: String
    var daysLeft: Int
    var relative: String
    var lapsed: Bool

    init?(_ certificate: Certificate?, today: CalendarDate) {
        guard let certificate else { return nil }
        let (kind, date): (String, CalendarDate)
        if let validTo = certificate.validTo { (kind, date) = ("Valid to", validTo) }
        else if let anniversary = certificate.anniversaryDate { (kind, date) = ("Anniversary", anniversary) }
        else { return nil }
        self.kind = kind
        self.date = date.description
        daysLeft = Formatting.days(from: today, to: date)
        relative = Formatting.relative(days: daysLeft)
        lapsed = daysLeft < 0
    }
}

/// One supplier as a row of a list.
struct SupplierRow: Sendable {
    var id: String
    var name: String
    var nopOperationId: String?
    var certifier: String?
    var country: String?
    var status: String
    var tone: String
    var governing: GoverningView?

    init(_ stored: StoredSupplier, today: CalendarDate) {
        let supplier = stored.supplier
        id = supplier.id
        name = supplier.name
        nopOperationId = supplier.nopOperationId?.rawValue
        certifier = supplier.certifier
        country = supplier.country
        status = supplier.certificate?.status.text ?? "No certificate"
        tone = Formatting.tone(ofStatusCode: supplier.certificate?.status.code)
        governing = GoverningView(supplier.certificate, today: today)
    }
}
