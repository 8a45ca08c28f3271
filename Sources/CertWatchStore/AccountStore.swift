import CertWatchCore
import Foundation
import SQLKit

/// People's accounts in the database, shared by every replica.
public struct AccountStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    public enum InviteError: Error, Equatable {
        /// The address already belongs to an active or disabled account.
        case alreadyAnAccount(Account.State)
    }

    /// Creates an invited account, or updates the name and role of one still invited (an admin
    /// inviting again). An account that has signed in is not invited again.
    public func invite(email: String, name: String, role: Role) async throws -> Account {
        let email = Account.normalized(email: email)
        let at = now()
        return try await database.transaction { db in
            if let existing = try await Self.account(db, email: email) {
                guard existing.state == .invited else { throw InviteError.alreadyAnAccount(existing.state) }
                try await db.update("accounts").set("display_name", to: name).set("role", to: role.rawValue)
                    .set("updated_at", to: Timestamp.format(at)).where("id", .equal, existing.id).run()
                return try await Self.account(db, id: existing.id) ?? existing
            }
            let account = Account(id: RecordID.make(at: at), email: email, name: name, role: role, state: .invited,
                                  passwordHash: nil, totpSecret: nil, totpLastStep: nil, sessionsValidFrom: nil, createdAt: at, updatedAt: at)
            try await db.insert(into: "accounts")
                .columns("id", "email", "display_name", "role", "state", "created_at", "updated_at")
                .values(account.id, email, name, role.rawValue, Account.State.invited.rawValue,
                        Timestamp.format(at), Timestamp.format(at))
                .run()
            return account
        }
    }

    public func list() async throws -> [Account] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("accounts").orderBy("email").all().map(Self.account)
        }
    }

    public func account(id: String) async throws -> Account? {
        try await database.withConnection { db in try await Self.account(db, id: id) }
    }

    public func account(email: String) async throws -> Account? {
        try await database.withConnection { db in try await Self.account(db, email: Account.normalized(email: email)) }
    }

    /// How many accounts can sign in: the page offers key sign-in by default only while none can.
    public func activeCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("accounts")
                .where("state", .equal, Account.State.active.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public enum UpdateError: Error, Equatable {
        /// The change would leave no active admin.
        case lastAdmin
    }

    /// Sets the fields given; the account as it is afterwards, nil if there is none. A change
    /// that would leave no active admin throws `lastAdmin`: checked in the same transaction,
    /// with the active admins' rows locked on PostgreSQL (SQLite's transaction holds the write
    /// lock from its start), so two admins demoting each other cannot both succeed. `from`
    /// applies the change only to an account in that state (an activation must not undo a
    /// disable that came first); `endSessions` refuses the account's sessions signed in before now.
    public func update(id: String, name: String? = nil, role: Role? = nil, state: Account.State? = nil,
                       passwordHash: String? = nil, from: Account.State? = nil, endSessions: Bool = false) async throws -> Account? {
        let at = Timestamp.format(now())
        return try await database.transaction { db in
            if (role.map { $0 != .admin } ?? false) || (state.map { $0 != .active } ?? false) {
                let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
                let admins = try await db.raw("SELECT id FROM accounts WHERE role = 'admin' AND state = 'active'\(unsafeRaw: lock)")
                    .all().map { try $0.decode(column: "id", as: String.self) }
                if admins == [id] { throw UpdateError.lastAdmin }
            }
            var update = db.update("accounts").set("updated_at", to: at)
            if let name { update = update.set("display_name", to: name) }
            if let role { update = update.set("role", to: role.rawValue) }
            if let state { update = update.set("state", to: state.rawValue) }
            if let passwordHash { update = update.set("password_hash", to: passwordHash) }
            if endSessions { update = update.set("sessions_valid_from", to: at) }
            update = update.where("id", .equal, id)
            if let from { update = update.where("state", .equal, from.rawValue) }
            try await update.run()
            return try await Self.account(db, id: id)
        }
    }

    /// Uses up the link `token` and, in the same transaction, sets the account's password and
    /// makes it active; nil if the link was used meanwhile, or is another account's, or the
    /// account was disabled.
    public func setPassword(redeeming token: String, in links: AccountLinkStore, accountId: String, passwordHash: String) async throws -> Account? {
        let at = Timestamp.format(now())
        return try await database.transaction { db in
            guard let link = try await links.redeem(token: token, in: db), link.accountId == accountId,
                  let account = try await Self.account(db, id: accountId), account.state != .disabled else { return nil }
            // A reset ends every session signed in before it (a thief's too).
            try await db.update("accounts").set("password_hash", to: passwordHash).set("state", to: Account.State.active.rawValue)
                .set("sessions_valid_from", to: at).set("updated_at", to: at)
                .where("id", .equal, accountId).where("state", .notEqual, Account.State.disabled.rawValue).run()
            return try await Self.account(db, id: accountId)
        }
    }

    /// Turns two-step sign-in on (a secret) or off (nil, which also drops the recovery codes).
    public func setTwoStep(id: String, secret: String?, recoveryCodeHashes: [String] = []) async throws {
        try await database.transaction { db in
            try await db.update("accounts").set("totp_secret", to: secret).set("totp_last_step", to: Int64?.none)
                .set("updated_at", to: Timestamp.format(now())).where("id", .equal, id).run()
            try await db.delete(from: "recovery_codes").where("account_id", .equal, id).run()
            for hash in recoveryCodeHashes {
                try await db.insert(into: "recovery_codes").columns("account_id", "code_hash").values(id, hash).run()
            }
        }
    }

    /// Accepts TOTP time step `step` for the account if it is later than the last one accepted:
    /// a code is good once, also when two replicas are asked at the same moment.
    public func acceptTimeStep(id: String, step: Int64) async throws -> Bool {
        try await database.withConnection { db in
            let row = try await db.update("accounts").set("totp_last_step", to: step)
                .where("id", .equal, id).where("totp_secret", .isNot, SQLLiteral.null)
                .where { $0.where("totp_last_step", .is, SQLLiteral.null).orWhere("totp_last_step", .lessThan, step) }
                .returning("id").first()
            return row != nil
        }
    }

    /// Uses up one recovery code; false if it is not one of the account's unused codes.
    public func useRecoveryCode(id: String, codeHash: String) async throws -> Bool {
        try await database.withConnection { db in
            let row = try await db.update("recovery_codes").set("used_at", to: Timestamp.format(now()))
                .where("account_id", .equal, id).where("code_hash", .equal, codeHash).where("used_at", .is, SQLLiteral.null)
                .returning("code_hash").first()
            return row != nil
        }
    }

    public func unusedRecoveryCodes(id: String) async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("recovery_codes")
                .where("account_id", .equal, id).where("used_at", .is, SQLLiteral.null)
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Whether admins must use two-step sign-in (set by an admin on the people page).
    public func twoStepRequiredForAdmins() async throws -> Bool {
        try await database.withConnection { db in
            try await db.select().column("value").from("auth_policy").where("key", .equal, Self.requireTwoStepKey)
                .first()?.decode(column: "value", as: String.self) == "true"
        }
    }

    public func setTwoStepRequiredForAdmins(_ required: Bool) async throws {
        try await database.transaction { db in
            try await db.delete(from: "auth_policy").where("key", .equal, Self.requireTwoStepKey).run()
            try await db.insert(into: "auth_policy").columns("key", "value").values(Self.requireTwoStepKey, required ? "true" : "false").run()
        }
    }

    private static let requireTwoStepKey = "requireTwoStepForAdmins"

    static let columns = ["id", "email", "display_name", "role", "state", "password_hash", "totp_secret", "totp_last_step",
                          "sessions_valid_from", "created_at", "updated_at"]

    static func account(_ db: any SQLDatabase, id: String) async throws -> Account? {
        try await db.select().columns(columns).from("accounts").where("id", .equal, id).first().map(account)
    }

    static func account(_ db: any SQLDatabase, email: String) async throws -> Account? {
        try await db.select().columns(columns).from("accounts").where("email", .equal, email).first().map(account)
    }

    static func account(_ row: any SQLRow) throws -> Account {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = Role(rawValue: roleText) else { throw CorruptRow(column: "accounts.role", value: roleText) }
        let stateText = try row.decode(column: "state", as: String.self)
        guard let state = Account.State(rawValue: stateText) else { throw CorruptRow(column: "accounts.state", value: stateText) }
        return Account(
            id: try row.decode(column: "id", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "display_name", as: String.self),
            role: role, state: state,
            passwordHash: try row.decode(column: "password_hash", as: String?.self),
            totpSecret: try row.decode(column: "totp_secret", as: String?.self),
            totpLastStep: try row.decode(column: "totp_last_step", as: Int64?.self),
            sessionsValidFrom: try Timestamp.decodeIfPresent(row, "sessions_valid_from", table: "accounts"),
            createdAt: try Timestamp.decode(row, "created_at", table: "accounts"),
            updatedAt: try Timestamp.decode(row, "updated_at", table: "accounts"))
    }
}
