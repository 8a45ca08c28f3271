import Foundation
import SQLKit

/// Who did what, besides purchase checks (which have their own hash-chained record): uploads,
/// imports, verifications started by hand, key and account changes. Append-only (triggers of
/// migration step 20), so the record an inspector reads is the record that was written.
public struct ActivityLog: Sendable {
    public struct Entry: Sendable, Equatable, Codable {
        public var at: Date
        /// A person's email address, `key NAME` for an API key, `cli:USER` for the command line.
        public var actor: String
        /// What happened, e.g. `document.uploaded`, `account.invited`.
        public var action: String
        /// What it happened to: a supplier id, an account's address, a key's name.
        public var subject: String?
        public var detail: String

        public init(at: Date, actor: String, action: String, subject: String?, detail: String) {
            self.at = at
            self.actor = actor
            self.action = action
            self.subject = subject
            self.detail = detail
        }
    }

    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    public func append(actor: String, action: String, subject: String?, detail: String) async throws {
        let at = now()
        try await database.withConnection { db in
            try await Self.append(actor: actor, action: action, subject: subject, detail: detail, at: at, in: db)
        }
    }

    /// The entry written in the caller's transaction, so it commits with the change it records.
    public static func append(actor: String, action: String, subject: String?, detail: String, at: Date, in db: any SQLDatabase) async throws {
        try await db.insert(into: "activity").columns("at", "actor", "action", "subject", "detail")
            .values(Timestamp.format(at), actor, action, subject, detail).run()
    }

    /// The newest entries first, about one subject or about any, and only these `actions` when
    /// they are given.
    public func entries(subject: String? = nil, actions: [String]? = nil, limit: Int = 200) async throws -> [Entry] {
        try await database.withConnection { db in
            var select = db.select().columns("at", "actor", "action", "subject", "detail").from("activity")
            if let subject { select = select.where("subject", .equal, subject) }
            if let actions { select = select.where("action", .in, SQLBind.group(actions)) }
            return try await select.orderBy("seq", .descending).limit(max(1, min(limit, 10_000))).all().map { row in
                Entry(at: try Timestamp.decode(row, "at", table: "activity"), actor: try row.decode(column: "actor", as: String.self),
                      action: try row.decode(column: "action", as: String.self),
                      subject: try row.decode(column: "subject", as: String?.self), detail: try row.decode(column: "detail", as: String.self))
            }
        }
    }
}
