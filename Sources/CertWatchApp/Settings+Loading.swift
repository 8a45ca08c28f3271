import CertWatchCore
import CertWatchIntegrity
import CertWatchStore
import CertWatchNotify
import Configuration
import Foundation
import Logging

extension Settings {
    /// Reads settings with the precedence command line > environment > `--config` file (YAML or
    /// JSON) > defaults. A value of the wrong type or out of range throws `SettingsError` naming
    /// the key; an unknown key is not an error (files can carry keys of newer versions).
    public static func load(
        arguments: [String: ConfigContent] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String? = nil
    ) async throws -> Settings {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: Dictionary(uniqueKeysWithValues: arguments.map {
                (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue($0.value, isSecret: false))
            })),
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .specific(["INTEGRITY_API_KEY", "SMTP_PASSWORD", "DATABASE_URL", "AUDIT_CHECKPOINT_KEY", "AUDIT_PREVIOUS_CHECKPOINT_KEYS", "AUTH_OIDC_CLIENT_SECRET"])),
        ]
        if let configFile {
            guard FileManager.default.fileExists(atPath: configFile) else {
                throw SettingsError(key: "--config", message: "file \(configFile) does not exist")
            }
            do {
                if configFile.hasSuffix(".json") {
                    providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(configFile)))
                } else {
                    providers.append(try await FileProvider<YAMLSnapshot>(filePath: .init(configFile)))
                }
            } catch {
                throw SettingsError(key: "--config", message: "cannot read \(configFile): \(error)")
            }
        }
        return try Settings(reading: SettingsReader(config: ConfigReader(providers: providers)))
    }

    init(reading r: SettingsReader) throws(SettingsError) {
        self.init()
        httpHost = try r.string("http.host") ?? httpHost
        httpPort = try r.int("http.port", in: 0...65_535) ?? httpPort
        httpPublicURL = try r.url("http.publicUrl", schemes: ["http", "https"])
        webSessionIdle = try r.int("web.sessionIdleMinutes", in: 1...(7 * 24 * 60)).map { .seconds($0 * 60) } ?? webSessionIdle
        webSessionLifetime = try r.int("web.sessionMaxHours", in: 1...(30 * 24)).map { .seconds($0 * 3_600) } ?? webSessionLifetime
        if let url = try r.string("database.url") {
            do { databaseURL = try DatabaseURL(parsing: url) } catch {
                throw SettingsError(key: "database.url", message: error.description)
            }
        }
        integrityBaseURL = try r.url("integrity.baseUrl", schemes: ["http", "https"])
        let legacy = integrityBaseURL.map(IntegrityEndpoints.init(baseURL:))
        integrityWebServiceURL = try r.url("integrity.webServiceUrl", schemes: ["http", "https"])
            ?? legacy?.webServiceURL ?? integrityWebServiceURL
        integrityBulkURL = try r.url("integrity.bulkUrl", schemes: ["http", "https"]) ?? legacy?.bulkURL ?? integrityBulkURL
        integrityAPIKey = try r.string("integrity.apiKey")
        integrityRequestsPerHour = try r.int("integrity.requestsPerHour", in: 1...1_000_000) ?? integrityRequestsPerHour
        if let names = try r.stringArray("integrity.sources") {
            let known = IntegritySourceName.allCases.map(\.rawValue)
            if let unknown = names.first(where: { IntegritySourceName(rawValue: $0) == nil }) {
                throw SettingsError(key: "integrity.sources", message: "unknown source \"\(unknown)\"; use \(known.joined(separator: ", "))")
            }
            guard !names.isEmpty else { throw SettingsError(key: "integrity.sources", message: "needs at least one source") }
            integritySources = names.compactMap(IntegritySourceName.init(rawValue:))
        }
        if let megabytes = try r.int("imports.maxUncompressedMegabytes", in: 1...65_536) { importLimits.maxEntryBytes = megabytes << 20 }
        importLimits.maxRatio = try r.int("imports.maxCompressionRatio", in: 2...100_000) ?? importLimits.maxRatio
        httpIdleTimeout = try r.seconds("http.idleTimeoutSeconds", in: 1...3_600) ?? httpIdleTimeout
        integrityCompleteSyncDays = try r.int("integrity.completeSyncDays", in: 1...365) ?? integrityCompleteSyncDays
        integrityMinBulkRatio = try r.double("integrity.minBulkRatio", in: 0...1) ?? integrityMinBulkRatio
        integrityMaxUnknownStatusShare = try r.double("integrity.maxUnknownStatusShare", in: 0...1) ?? integrityMaxUnknownStatusShare
        smtpURL = try r.url("smtp.url", schemes: ["smtp", "smtps"])
        smtpFrom = try r.string("smtp.from")
        smtpUsername = try r.string("smtp.username")
        smtpPassword = try r.string("smtp.password")
        if let text = try r.string("smtp.starttls") {
            guard let mode = SMTPSettings.StartTLS(rawValue: text) else {
                throw SettingsError(key: "smtp.starttls", message: "\"\(text)\" is not required, opportunistic or off")
            }
            smtpStartTLS = mode
        }
        smtpCAFile = try r.string("smtp.caFile")
        if smtpURL != nil, smtpFrom == nil {
            throw SettingsError(key: "smtp.from", message: "is needed when smtp.url is set: the address alert emails come from")
        }
        nightlyAt = try r.timeOfDay("schedule.nightlyAt") ?? nightlyAt
        scheduleTimeZone = try r.timeZone("schedule.timeZone") ?? scheduleTimeZone
        alertScanInterval = try r.seconds("schedule.alertScanIntervalSeconds", in: 1...86_400) ?? alertScanInterval
        jobLease = try r.seconds("schedule.leaseSeconds", in: 1...3_600) ?? jobLease
        shutdownGrace = try r.seconds("shutdown.graceSeconds", in: 1...3_600) ?? shutdownGrace
        alertThresholdDays = try r.intArray("alerts.thresholdDays", in: 0...3_650) ?? alertThresholdDays
        alertRecipients = try r.stringArray("alerts.recipients") ?? alertRecipients
        digestAt = try r.timeOfDay("alerts.digestAt") ?? digestAt
        webhooksAllowPrivateNetworks = try r.bool("webhooks.allowPrivateNetworks") ?? webhooksAllowPrivateNetworks
        webhooksRetryDelays = try r.intArray("webhooks.retryDelaysSeconds", in: 0...86_400).map { $0.map(Double.init) } ?? webhooksRetryDelays
        emailRetryDelays = try r.intArray("email.retryDelaysSeconds", in: 0...86_400).map { $0.map(Double.init) } ?? emailRetryDelays
        if let text = try r.string("log.level") {
            guard let level = Logger.Level(rawValue: text) else {
                throw SettingsError(key: "log.level", message: "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            logLevel = level
        }
        webhooksSecretOverlap = try r.int("webhooks.secretOverlapHours", in: 0...720).map { .seconds($0 * 3_600) } ?? webhooksSecretOverlap
        documentMaxBytes = try r.int("documents.maxBytes", in: 1_024...(1 << 30)) ?? documentMaxBytes
        if let text = try r.string("audit.checkpointKey") {
            guard let key = AuditSealKey(text) else {
                throw SettingsError(key: "audit.checkpointKey", message: "must be at least \(AuditSealKey.minimumLength) characters")
            }
            auditCheckpointKey = key
        }
        auditPreviousCheckpointKeys = try (r.stringArray("audit.previousCheckpointKeys") ?? []).map { text throws(SettingsError) in
            guard let key = AuditSealKey(text) else {
                throw SettingsError(key: "audit.previousCheckpointKeys", message: "each key must be at least \(AuditSealKey.minimumLength) characters")
            }
            return key
        }
        auditCheckpointInterval = try r.int("audit.checkpointMinutes", in: 1...(7 * 24 * 60)).map { .seconds($0 * 60) } ?? auditCheckpointInterval
        retentionYears = try r.int("retention.years", in: RetentionPeriod.minimumYears...100) ?? retentionYears
        deliveryLease = try r.seconds("delivery.leaseSeconds", in: 1...3_600) ?? deliveryLease
        maxVerificationAgeDays = try r.int("policy.maxVerificationAgeDays", in: 0...3_650) ?? maxVerificationAgeDays
        anniversaryGraceDays = try r.int("policy.anniversaryGraceDays", in: 0...365) ?? anniversaryGraceDays
        requireCertificateOnFile = try r.bool("policy.requireCertificateOnFile") ?? requireCertificateOnFile
        if let text = try r.string("policy.importCertificate") {
            guard let rule = ImportCertificateRule(rawValue: text) else {
                throw SettingsError(key: "policy.importCertificate", message: "\"\(text)\" is not block, review or off")
            }
            importCertificateRule = rule
        }
        try readAccounts(r)
        try readRequests(r)
    }
}

/// Reads one key at a time and turns "present but unusable" into a `SettingsError` for that key,
/// where swift-configuration's default-value readers would silently fall back.
struct SettingsReader {
    let config: ConfigReader

    /// `typed` returns nil both for a missing key and for a value that does not convert; a value
    /// that is present as text but did not convert is the error case.
    private func read<T>(_ key: String, expected: String, _ typed: (ConfigKey) -> T?) throws(SettingsError) -> T? {
        let configKey = ConfigKey(key)
        if let value = typed(configKey) { return value }
        let raw = config.string(forKey: configKey, isSecret: true)
            ?? config.stringArray(forKey: configKey, isSecret: true)?.joined(separator: ",")
        if let raw { throw SettingsError(key: key, message: "\"\(raw)\" is not \(expected)") }
        return nil
    }

    func string(_ key: String) throws(SettingsError) -> String? {
        try read(key, expected: "text") { config.string(forKey: $0) }
    }

    func bool(_ key: String) throws(SettingsError) -> Bool? {
        try read(key, expected: "true or false") { config.bool(forKey: $0) }
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int? {
        guard let value = try read(key, expected: "a whole number", { config.int(forKey: $0) }) else { return nil }
        guard range.contains(value) else {
            throw SettingsError(key: key, message: "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func double(_ key: String, in range: ClosedRange<Double>) throws(SettingsError) -> Double? {
        guard let value = try read(key, expected: "a number", { config.double(forKey: $0) }) else { return nil }
        guard range.contains(value) else {
            throw SettingsError(key: key, message: "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func intArray(_ key: String, in range: ClosedRange<Int>) throws(SettingsError) -> [Int]? {
        guard let values = try read(key, expected: "a list of whole numbers", { config.intArray(forKey: $0) }) else { return nil }
        if let bad = values.first(where: { !range.contains($0) }) {
            throw SettingsError(key: key, message: "\(bad) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return values
    }

    func stringArray(_ key: String) throws(SettingsError) -> [String]? {
        try read(key, expected: "a list of text values") { config.stringArray(forKey: $0) }
            .map { $0.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty } }
    }

    func timeOfDay(_ key: String) throws(SettingsError) -> TimeOfDay? {
        guard let text = try string(key) else { return nil }
        guard let time = TimeOfDay(text) else { throw SettingsError(key: key, message: "\"\(text)\" is not a time as HH:MM") }
        return time
    }

    func timeZone(_ key: String) throws(SettingsError) -> TimeZone? {
        guard let text = try string(key) else { return nil }
        guard let zone = TimeZone(identifier: text) else {
            throw SettingsError(key: key, message: "\"\(text)\" is not an IANA time zone (e.g. Europe/Berlin)")
        }
        return zone
    }

    /// A key that counts whole seconds, read into a `Duration`.
    func seconds(_ key: String, in range: ClosedRange<Int>) throws(SettingsError) -> Duration? {
        try int(key, in: range).map { .seconds($0) }
    }

    func url(_ key: String, schemes: Set<String>) throws(SettingsError) -> String? {
        guard let text = try string(key) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), schemes.contains(scheme), url.host != nil else {
            throw SettingsError(key: key, message: "\"\(text)\" is not a URL with scheme \(schemes.sorted().joined(separator: " or "))")
        }
        return text
    }
}
