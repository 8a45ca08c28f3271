import CertWatchCore
import Foundation
import SQLKit

/// One-time links for an account: the invitation that sets the first password and the password
/// reset, each a `OneTimeToken` stored as its hash. A link works once, until it expires, and a
/// new link of the same purpose replaces the old one.
public struct AccountLinkStore: Sendable {
    public enum Purpose: String, Sendable, Codable {
        case invitation
        case reset
    }

    public struct Link: Sendable, Equatable {
        public var accountId: String
        public var purpose: Purpose
        public var expiresAt: Date
    }

    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// A new link for the account, valid for `lifetime`; the token is returned once and not stored.
    public func issue(accountId: String, purpose: Purpose, lifetime: Duration) async throws -> (token: String, link: Link) {
        let token = OneTimeToken.make()
        let at = now()
        let link = Link(accountId: accountId, purpose: purpose,
                        expiresAt: at.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        try await database.transaction { db in
            try await db.delete(from: "account_links").where("account_id", .equal, accountId)
                .where("purpose", .equal, purpose.rawValue).where("used_at", .is, SQLLiteral.null).run()
            try await db.insert(into: "account_links")
                .columns("token_hash", "account_id", "purpose", "created_at", "expires_at")
                .values(OneTimeToken.hash(token), accountId, purpose.rawValue, Timestamp.format(at), Timestamp.format(link.expiresAt))
                .run()
        }
        return (token, link)
    }

    /// The link `token` opens if it is unused and unexpired; nothing is used up.
    public func find(token: String) async throws -> Link? {
        guard OneTimeToken.wellFormed(token) else { return nil }
        return try await database.withConnection { db in
            try await db.select().columns("account_id", "purpose", "expires_at").from("account_links")
                .where("token_hash", .equal, OneTimeToken.hash(token)).where("used_at", .is, SQLLiteral.null)
                .where("expires_at", .greaterThan, Timestamp.format(now()))
                .first().map(Self.link)
        }
    }

    /// Uses the link up and returns it, or nil if it was unknown, used or expired: of two
    /// requests with one token, one wins.
    public func redeem(token: String, in db: any SQLDatabase) async throws -> Link? {
        guard OneTimeToken.wellFormed(token) else { return nil }
        let at = Timestamp.format(now())
        return try await db.update("account_links").set("used_at", to: at)
            .where("token_hash", .equal, OneTimeToken.hash(token)).where("used_at", .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, at)
            .returning("account_id", "purpose", "expires_at").first().map(Self.link)
    }

    /// Drops the account's unused links: an account disabled or enabled again starts with none.
    public func withdraw(accountId: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "account_links").where("account_id", .equal, accountId)
                .where("used_at", .is, SQLLiteral.null).run()
        }
    }

    private static func link(_ row: any SQLRow) throws -> Link {
        let purposeText = try row.decode(column: "purpose", as: String.self)
        guard let purpose = Purpose(rawValue: purposeText) else { throw CorruptRow(column: "account_links.purpose", value: purposeText) }
        return Link(accountId: try row.decode(column: "account_id", as: String.self), purpose: purpose,
                    expiresAt: try Timestamp.decode(row, "expires_at", table: "account_links"))
    }
}
