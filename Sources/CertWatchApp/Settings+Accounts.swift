import CertWatchAccounts
import CertWatchWeb
import Foundation

extension Settings {
    /// `auth.*` and `web.keySignIn`.
    mutating func readAccounts(_ r: SettingsReader) throws(SettingsError) {
        accounts.bcryptCost = try r.int("auth.bcryptCost", in: 4...31) ?? accounts.bcryptCost
        accounts.invitationLifetime = try r.int("auth.invitationHours", in: 1...(30 * 24)).map { .seconds($0 * 3_600) }
            ?? accounts.invitationLifetime
        accounts.resetLifetime = try r.int("auth.resetMinutes", in: 5...(7 * 24 * 60)).map { .seconds($0 * 60) } ?? accounts.resetLifetime
        accounts.minPasswordLength = try r.int("auth.minPasswordLength", in: 8...72) ?? accounts.minPasswordLength
        accounts.maxFailuresPerAccount = try r.int("auth.maxFailuresPerAccount", in: 1...1_000) ?? accounts.maxFailuresPerAccount
        accounts.maxFailuresPerAddress = try r.int("auth.maxFailuresPerAddress", in: 1...100_000) ?? accounts.maxFailuresPerAddress
        accounts.lockoutWindow = try r.int("auth.lockoutMinutes", in: 1...(24 * 60)).map { .seconds($0 * 60) } ?? accounts.lockoutWindow
        httpTrustedProxies = try r.stringArray("http.trustedProxies") ?? httpTrustedProxies
        if let text = try r.string("web.keySignIn") {
            guard let mode = KeySignIn(rawValue: text) else {
                throw SettingsError(key: "web.keySignIn", message: "\"\(text)\" is not auto, on or off")
            }
            webKeySignIn = mode
        }
        guard let issuer = try r.url("auth.oidc.issuer", schemes: ["https", "http"]) else { return }
        guard let clientId = try r.string("auth.oidc.clientId"), !clientId.isEmpty else {
            throw SettingsError(key: "auth.oidc.clientId", message: "is needed when auth.oidc.issuer is set")
        }
        guard let secret = try r.string("auth.oidc.clientSecret"), !secret.isEmpty else {
            throw SettingsError(key: "auth.oidc.clientSecret", message: "is needed when auth.oidc.issuer is set")
        }
        accounts.singleSignOn = SingleSignOnSettings(
            issuer: issuer, clientId: clientId, clientSecret: secret,
            allowedDomains: try r.stringArray("auth.oidc.allowedDomains") ?? [],
            createAccounts: try r.bool("auth.oidc.createAccounts") ?? false)
    }
}
