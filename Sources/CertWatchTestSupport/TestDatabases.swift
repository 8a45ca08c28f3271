import CertWatchStore
import Foundation
import Logging

/// The two databases every store test runs against. PostgreSQL comes from the server
/// `scripts/test.sh` starts (`CERTWATCH_TEST_POSTGRES_URL`); each test gets a database of its own.
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }
}

public struct MissingTestPostgres: Error, CustomStringConvertible {
    public var description: String {
        "CERTWATCH_TEST_POSTGRES_URL is not set: run the suite with scripts/test.sh, which starts PostgreSQL"
    }
}

/// Runs `body` with a new, migrated, empty database on `backend`, and closes it afterwards.
public func withTestDatabase<T>(_ backend: Backend, _ body: (Database) async throws -> T) async throws -> T {
    let url = try await freshDatabaseURL(backend)
    let database = try Database.open(url, logger: Logger(label: "test"))
    do {
        try await Migrations.run(on: database)
        let result = try await body(database)
        try await database.close()
        return result
    } catch {
        try? await database.close()
        throw error
    }
}

/// A database URL nobody else uses: a new SQLite file, or a new PostgreSQL database.
public func freshDatabaseURL(_ backend: Backend) async throws -> DatabaseURL {
    let name = "cw_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    switch backend {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-tests", isDirectory: true)
        return .sqlite(path: folder.appendingPathComponent("\(name).sqlite").path)
    case .postgres:
        guard let admin = ProcessInfo.processInfo.environment["CERTWATCH_TEST_POSTGRES_URL"] else {
            throw MissingTestPostgres()
        }
        let server = try Database.open(.postgres(url: admin), logger: Logger(label: "test"))
        do {
            try await server.withConnection { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            try await server.close()
        } catch {
            try? await server.close()
            throw error
        }
        guard let slash = admin.lastIndex(of: "/") else { throw MissingTestPostgres() }
        return .postgres(url: admin[..<slash] + "/" + name)
    }
}

extension Database {
    /// Runs `body`, then closes the pool, also when `body` throws: a pool must be shut down
    /// before it is released.
    public func closing<T>(_ body: (Database) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            try await close()
            return result
        } catch {
            try? await close()
            throw error
        }
    }
}
