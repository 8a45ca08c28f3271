import Crypto
import Foundation
import SQLKit

/// The web page's sessions, in the database so that any replica serves any session.
///
/// Rows are keyed by the SHA-256 of the session id, so a copy of the database does not hand out
/// live sessions. An expired row is treated as absent and removed by `purgeExpired`.
public struct WebSessionStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Stores `data` for `id`, for the account signed in with it if any; false if a session with
    /// that id already exists.
    public func create(id: String, data: String, expiresAt: Date, accountId: String? = nil) async throws -> Bool {
        try await database.transaction { db in
            let hash = Self.hash(id)
            if try await db.select().column("id_hash").from("web_sessions").where("id_hash", .equal, hash).first() != nil {
                return false
            }
            try await db.insert(into: "web_sessions").columns("id_hash", "data", "expires_at", "account_id")
                .values(hash, data, Timestamp.format(expiresAt), accountId).run()
            return true
        }
    }

    /// Replaces the data of `id` and its account, and its expiry when one is given; false if there
    /// is no such session.
    public func update(id: String, data: String, expiresAt: Date?, accountId: String? = nil) async throws -> Bool {
        try await database.transaction { db in
            let hash = Self.hash(id)
            guard try await db.select().column("id_hash").from("web_sessions").where("id_hash", .equal, hash).first() != nil else {
                return false
            }
            var update = db.update("web_sessions").set("data", to: data).set("account_id", to: accountId)
            if let expiresAt { update = update.set("expires_at", to: Timestamp.format(expiresAt)) }
            try await update.where("id_hash", .equal, hash).run()
            return true
        }
    }

    /// The data of a session that has not expired, with its expiry.
    public func get(id: String) async throws -> (data: String, expiresAt: Date)? {
        try await database.withConnection { db in
            guard let row = try await db.select().columns("data", "expires_at").from("web_sessions")
                .where("id_hash", .equal, Self.hash(id))
                .where("expires_at", .greaterThan, Timestamp.format(now())).first()
            else { return nil }
            return (try row.decode(column: "data", as: String.self), try Timestamp.decode(row, "expires_at", table: "web_sessions"))
        }
    }

    public func remove(id: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "web_sessions").where("id_hash", .equal, Self.hash(id)).run()
        }
    }

    /// The live sessions of an account: the hash that names each (never the id itself) and its data.
    public func sessions(accountId: String) async throws -> [(idHash: String, data: String, expiresAt: Date)] {
        try await database.withConnection { db in
            try await db.select().columns("id_hash", "data", "expires_at").from("web_sessions")
                .where("account_id", .equal, accountId).where("expires_at", .greaterThan, Timestamp.format(now()))
                .all().map { row in
                    (try row.decode(column: "id_hash", as: String.self), try row.decode(column: "data", as: String.self),
                     try Timestamp.decode(row, "expires_at", table: "web_sessions"))
                }
        }
    }

    /// Ends every session of an account at once: signing out everywhere, disabling the account.
    public func removeAll(accountId: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "web_sessions").where("account_id", .equal, accountId).run()
        }
    }

    /// Deletes expired sessions; returns how many.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        try await database.withConnection { db in
            let cutoff = Timestamp.format(now())
            let count = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("web_sessions")
                .where("expires_at", .lessThanOrEqual, cutoff).first()?.decode(column: "n", as: Int.self) ?? 0
            try await db.delete(from: "web_sessions").where("expires_at", .lessThanOrEqual, cutoff).run()
            return count
        }
    }

    public static func hash(_ id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).hexString
    }
}
