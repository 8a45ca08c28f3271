import Foundation

/// Collects field errors while an input is turned into domain values, so that validation reports
/// every problem at once instead of stopping at the first. Lengths count the Unicode scalars of
/// the text as sent, as the OpenAPI document's `maxLength` does (not characters after trimming).
struct FieldChecker {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Trimmed text, with empty treated as absent.
    func optional(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    mutating func required(_ value: String?, field: String, maxLength: Int) -> String? {
        guard let text = optional(value) else {
            fail(field, "is required")
            return nil
        }
        if (value ?? text).unicodeScalars.count > maxLength { fail(field, "is longer than \(maxLength) characters") }
        return text
    }

    mutating func list(_ values: [String]?, field: String, maxLength: Int) -> [String] {
        let cleaned = (values ?? []).compactMap(optional)
        if cleaned.count > SupplierLimits.maxListCount {
            fail(field, "has more than \(SupplierLimits.maxListCount) entries")
        }
        for (index, value) in (values ?? []).enumerated() where value.unicodeScalars.count > maxLength {
            fail("\(field)[\(index)]", "is longer than \(maxLength) characters")
        }
        var seen = Set<String>()
        return cleaned.filter { seen.insert($0.lowercased()).inserted }
    }

    mutating func date(_ value: String?, field: String) -> CalendarDate? {
        guard let text = optional(value) else { return nil }
        guard let date = CalendarDate(input: text) else {
            fail(field, "\"\(text)\" is not \(CalendarDate.inputRule)")
            return nil
        }
        return date
    }

    /// A known status code or wording, or `other` with the text to keep.
    mutating func status(_ value: String?, text: String?, field: String, required: Bool) -> CertificationStatus? {
        guard let raw = optional(value) else {
            if required { fail(field, "is required") }
            return nil
        }
        if let known = CertificationStatus(codeOrText: raw) { return known }
        if raw.lowercased() == "other" {
            if let kept = optional(text) { return .other(kept) }
            fail(field, "status \"other\" needs statusText with the status wording")
            return nil
        }
        let codes = CertificationStatus.known.map(\.code).joined(separator: ", ")
        fail(field, "unknown status \"\(raw)\"; expected one of \(codes), or other with statusText")
        return nil
    }

    /// Creating a `TimeZone` costs tens of microseconds; a 100,000-row import checks the known
    /// identifiers instead and asks Foundation only about the rest (aliases).
    private static let knownTimeZones = Set(TimeZone.knownTimeZoneIdentifiers)

    static func isTimeZone(_ identifier: String) -> Bool {
        knownTimeZones.contains(identifier) || TimeZone(identifier: identifier) != nil
    }
}

extension FieldChecker {
    /// A list of email addresses, each checked.
    mutating func emails(_ values: [String]?, field: String) -> [String] {
        let emails = list(values, field: field, maxLength: 254)
        for (index, email) in emails.enumerated() where !EmailAddress.isContactAddress(email) {
            fail("\(field)[\(index)]", "\"\(email)\" is not an email address")
        }
        return emails
    }
}
