import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// A pool of connections to SQLite or PostgreSQL behind one SQLKit interface, so every query is
/// written once and runs on both.
///
/// Reads: `database.url`.
public final class Database: Sendable {
    public enum Dialect: String, Sendable { case sqlite, postgres }

    public let dialect: Dialect
    public let url: DatabaseURL
    private let pool: any PooledConnections

    /// SQLite's blocking threads, handed back when the pool is closed (see `SQLiteThreads`).
    private let threads: NIOThreadPool?
    private let closed = Atomic(false)

    private init(url: DatabaseURL, dialect: Dialect, pool: any PooledConnections, threads: NIOThreadPool? = nil) {
        self.url = url
        self.dialect = dialect
        self.pool = pool
        self.threads = threads
    }

    /// Opens a pool. For SQLite the file's folder is created if missing.
    public static func open(_ url: DatabaseURL, logger: Logger) throws -> Database {
        switch url {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let group = MultiThreadedEventLoopGroup.singleton
            let connectionsPerLoop = 2
            let threads = SQLiteThreads.take(count: connectionsPerLoop * group.makeIterator().reduce(0) { count, _ in count + 1 })
            let source = SQLiteSource(path: path, threadPool: threads)
            return Database(url: url, dialect: .sqlite, pool: Pool(
                pool: EventLoopGroupConnectionPool(
                    source: source, maxConnectionsPerEventLoop: connectionsPerLoop, logger: logger, on: group),
                logger: logger, sql: { $0.sql() }), threads: threads)
        case .postgres(let text):
            // PostgresKit's URL errors repeat the URL, password included: say what is wrong without it.
            guard let configuration = try? SQLPostgresConfiguration(url: text) else {
                throw DatabaseURL.Invalid(description: "\(url) is not a usable PostgreSQL URL (postgres://user:password@host:5432/database)")
            }
            let source = PostgresConnectionSource(sqlConfiguration: configuration)
            return Database(url: url, dialect: .postgres, pool: Pool(
                pool: EventLoopGroupConnectionPool(
                    source: source, maxConnectionsPerEventLoop: 8, logger: logger, on: MultiThreadedEventLoopGroup.singleton),
                logger: logger, sql: { $0.sql() }))
        }
    }

    /// Runs `body` on one connection, outside any transaction.
    public func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await pool.withConnection(body)
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    ///
    /// SQLite takes the write lock up front (`BEGIN IMMEDIATE`): a deferred transaction that reads
    /// and then writes can fail with SQLITE_BUSY when another connection wrote in between.
    public func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await pool.withConnection { db in
            try await db.raw(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// True when a trivial query answers; `/readyz` uses it.
    public func isReachable() async -> Bool {
        (try? await withConnection { try await $0.raw("SELECT 1 AS one").first() }) != nil
    }

    /// Closes the pool. Closing twice is not an error.
    public func close() async throws {
        try await pool.close()
        if let threads, !closed.exchange(true, ordering: .acquiringAndReleasing) { SQLiteThreads.giveBack(threads) }
    }
}

/// Hides the pool's connection type so `Database` is one type for both dialects.
private protocol PooledConnections: Sendable {
    func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func close() async throws
}

/// `@unchecked`: AsyncKit's pool guards its state with a lock but predates `Sendable`.
private struct Pool<Source: ConnectionPoolSource>: PooledConnections, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let logger: Logger
    let sql: @Sendable (Source.Connection) -> any SQLDatabase

    func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await body(sql(connection))
    }

    /// Closing twice is not an error: the second call finds the pool already shut down.
    func close() async throws {
        do {
            try await pool.shutdownAsync()
        } catch ConnectionPoolError.shutdown {
            return
        }
    }
}

extension Database {
    /// A database error as a person can act on it. PostgresNIO hides everything behind a generic
    /// description (its details may hold query text); its debug form says what failed, e.g. a
    /// refused connection, and never holds the URL's password.
    public static func describe(_ error: any Error) -> String {
        error is PSQLError ? String(reflecting: error) : "\(error)"
    }
}
