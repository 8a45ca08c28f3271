import CertWatchApp
import CertWatchServer
import CertWatchStore
import Configuration
import Foundation
import Testing

@Suite struct SettingsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func file(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cw-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theShippedFileStatesTheDefaults() async throws {
        let shipped = Self.repository.appendingPathComponent("Config/certwatch.yaml").path
        #expect(try await Settings.load(environment: [:], configFile: shipped) == Settings())
        let postgres = try await Settings.load(
            environment: [:], configFile: Self.repository.appendingPathComponent("Config/certwatch.postgres.yaml").path)
        #expect(postgres.databaseURL == .postgres(url: "postgres://certwatch:change-me@db.internal:5432/certwatch"))
    }

    @Test func commandLineBeatsEnvironmentBeatsFileBeatsDefault() async throws {
        let path = try file("http:\n  port: 9001\n  host: 0.0.0.0\nschedule:\n  timeZone: Europe/Berlin\n")
        let fromFile = try await Settings.load(environment: [:], configFile: path)
        #expect(fromFile.httpPort == 9001 && fromFile.httpHost == "0.0.0.0" && fromFile.scheduleTimeZone.identifier == "Europe/Berlin")
        let fromEnvironment = try await Settings.load(environment: ["HTTP_PORT": "9002"], configFile: path)
        #expect(fromEnvironment.httpPort == 9002 && fromEnvironment.httpHost == "0.0.0.0")
        let fromCommandLine = try await Settings.load(arguments: ["http.port": .int(9003)], environment: ["HTTP_PORT": "9002"], configFile: path)
        #expect(fromCommandLine.httpPort == 9003)
        #expect(try await Settings.load(environment: [:]).httpPort == 8080)
    }

    /// Every setting is read in `Settings`: the log level (once read from LOG_LEVEL by each
    /// command, with its own default) and email's retries (once borrowed from webhooks').
    @Test func logLevelAndEmailRetriesAreSettingsOfTheirOwn() async throws {
        let settings = try await Settings.load(environment: ["LOG_LEVEL": "debug", "WEBHOOKS_RETRY_DELAYS_SECONDS": "1,2"],
                                               configFile: try file("email:\n  retryDelaysSeconds: [7, 70]\n"))
        #expect(settings.logLevel == .debug)
        #expect(settings.emailRetryDelays == [7, 70])
        #expect(settings.webhooksRetryDelays == [1, 2])
        #expect(try await Settings.load(environment: [:]).logLevel == nil)
        await #expect(throws: SettingsError.self) { try await Settings.load(environment: ["LOG_LEVEL": "loud"]) }
    }

    @Test func environmentNamesFollowSwiftConfiguration() async throws {
        let settings = try await Settings.load(environment: [
            "INTEGRITY_BASE_URL": "https://integrity.example/api", "ALERTS_RECIPIENTS": "a@example.com, b@example.com",
            "ALERTS_THRESHOLD_DAYS": "45,10", "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true",
            "DATABASE_URL": "postgres://u:p@localhost:5432/cw", "SCHEDULE_NIGHTLY_AT": "03:15", "SHUTDOWN_GRACE_SECONDS": "7",
            "HTTP_PUBLIC_URL": "https://certwatch.example.com/", "WEB_SESSION_IDLE_MINUTES": "15", "WEB_SESSION_MAX_HOURS": "8",
        ])
        #expect(settings.httpPublicURL == "https://certwatch.example.com/" && settings.pageURL == "https://certwatch.example.com/")
        #expect(settings.webSessionIdle == .seconds(15 * 60) && settings.webSessionLifetime == .seconds(8 * 3_600))
        #expect(settings.shutdownGrace == .seconds(7))
        #expect(settings.integrityWebServiceURL == "https://integrity.example/api/rest", "the older baseUrl still works")
        #expect(settings.integrityBulkURL == "https://integrity.example/api/rest/GetAllOperationsPublicData")
        #expect(settings.alertRecipients == ["a@example.com", "b@example.com"])
        #expect(settings.alertThresholdDays == [45, 10])
        #expect(settings.webhooksAllowPrivateNetworks)
        #expect(settings.databaseURL == .postgres(url: "postgres://u:p@localhost:5432/cw"))
        #expect(settings.nightlyAt.description == "03:15")
        #expect(Settings.environmentName(of: "policy.maxVerificationAgeDays") == "POLICY_MAX_VERIFICATION_AGE_DAYS")
    }

    @Test(arguments: [
        (["HTTP_PORT": "abc"], "http.port"),
        (["HTTP_PORT": "70000"], "http.port"),
        (["WEB_SESSION_IDLE_MINUTES": "0"], "web.sessionIdleMinutes"),
        (["HTTP_PUBLIC_URL": "certwatch.example.com"], "http.publicUrl"),
        (["DATABASE_URL": "mysql://localhost/cw"], "database.url"),
        (["SCHEDULE_TIME_ZONE": "Mars/Base"], "schedule.timeZone"),
        (["SCHEDULE_NIGHTLY_AT": "25:00"], "schedule.nightlyAt"),
        (["SMTP_URL": "http://mail"], "smtp.url"),
        (["WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "maybe"], "webhooks.allowPrivateNetworks"),
        (["ALERTS_THRESHOLD_DAYS": "60,soon"], "alerts.thresholdDays"),
        (["INTEGRITY_BULK_URL": "ftp://usda/bulk"], "integrity.bulkUrl"),
        (["INTEGRITY_WEB_SERVICE_URL": "not a url"], "integrity.webServiceUrl"),
        (["INTEGRITY_MAX_UNKNOWN_STATUS_SHARE": "1.5"], "integrity.maxUnknownStatusShare"),
    ])
    func aBadValueStopsStartUpNamingTheKey(_ environment: [String: String], _ key: String) async throws {
        await #expect {
            try await Settings.load(environment: environment)
        } throws: { error in
            guard let error = error as? SettingsError else { return false }
            return error.key == key && error.description.contains(key) && error.description.contains(Settings.environmentName(of: key))
        }
    }

    @Test func everyINTEGRITYURLIsConfigurableInFull() async throws {
        let defaults = Settings()
        #expect(defaults.integrityWebServiceURL == "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OidPublicDataService.svc/rest")
        let newer = "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData"
        #expect(defaults.integrityBulkURL == newer, "the download's path public loaders used in 2026")
        #expect(defaults.integritySources == [.bulk, .webService] && defaults.integrityCompleteSyncDays == 7)
        #expect(defaults.integrityMaxUnknownStatusShare == 0.05)
        let older = defaults.integrityWebServiceURL + "/GetAllOperationsPublicData"
        let settings = try await Settings.load(environment: [
            "INTEGRITY_BULK_URL": older, "INTEGRITY_MAX_UNKNOWN_STATUS_SHARE": "0.1", "INTEGRITY_COMPLETE_SYNC_DAYS": "3",
            "INTEGRITY_BASE_URL": "https://old.example/svc",  // the full URLs win over the older form
            "INTEGRITY_WEB_SERVICE_URL": "https://proxy.example/integrity/rest",
        ])
        #expect(settings.integrityBulkURL == older && settings.integrityWebServiceURL == "https://proxy.example/integrity/rest")
        #expect(settings.integrityMaxUnknownStatusShare == 0.1 && settings.integrityCompleteSyncDays == 3)
        let path = try file("integrity:\n  bulkUrl: \(newer)\n")
        #expect(try await Settings.load(environment: [:], configFile: path).integrityBulkURL == newer)
        #expect(Settings.environmentName(of: "integrity.webServiceUrl") == "INTEGRITY_WEB_SERVICE_URL")
        #expect(Settings.environmentName(of: "integrity.maxUnknownStatusShare") == "INTEGRITY_MAX_UNKNOWN_STATUS_SHARE")
    }

    @Test func aBadValueInTheFileNamesTheKeyToo() async throws {
        let path = try file("http:\n  port: abc\n")
        await #expect(throws: SettingsError(key: "http.port", message: "\"abc\" is not a whole number")) {
            try await Settings.load(environment: [:], configFile: path)
        }
        await #expect(throws: SettingsError.self) { try await Settings.load(environment: [:], configFile: "/nonexistent.yaml") }
    }

    @Test func passwordsAreHiddenInDatabaseDescriptions() throws {
        #expect(try DatabaseURL(parsing: "postgres://cw:secret@db:5432/cw").description == "postgres://cw:***@db:5432/cw")
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/certwatch/db.sqlite") == .sqlite(path: "/var/lib/certwatch/db.sqlite"))
    }
}
