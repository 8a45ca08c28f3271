import CertWatchRequests
import Foundation

extension Settings {
    /// `requests.*`: certificate requests to suppliers and their upload links.
    mutating func readRequests(_ r: SettingsReader) throws(SettingsError) {
        if let name = try r.string("requests.handlerName")?.trimmingCharacters(in: .whitespacesAndNewlines) {
            guard !name.isEmpty, name.count <= 200, !name.contains(where: \.isNewline) else {
                throw SettingsError(key: "requests.handlerName", message: "must be your company's name on one line, up to 200 characters")
            }
            requests.handlerName = name
        }
        requests.lifetime = try r.int("requests.linkDays", in: 1...90).map { .seconds($0 * 86_400) } ?? requests.lifetime
        requests.maxUploadsPerLink = try r.int("requests.maxUploadsPerLinkPerHour", in: 1...1_000) ?? requests.maxUploadsPerLink
        requests.maxUploadsPerAddress = try r.int("requests.maxUploadsPerAddressPerHour", in: 1...100_000) ?? requests.maxUploadsPerAddress
        requests.autoWithinDays = try r.int("requests.autoWithinDays", in: 0...365) ?? requests.autoWithinDays
        if let days = try r.intArray("requests.reminderDays", in: 1...89) {
            let lifetimeDays = Int(requests.lifetime.components.seconds / 86_400)
            guard days.allSatisfy({ $0 < lifetimeDays }) else {
                throw SettingsError(key: "requests.reminderDays", message: "each reminder must come before requests.linkDays (\(lifetimeDays))")
            }
            requests.reminderDays = Array(Set(days)).sorted()
        }
    }
}
