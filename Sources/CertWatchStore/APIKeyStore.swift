import CertWatchCore
import Crypto
import Foundation
import SQLKit

/// What a key or a person may do: purchasers read and run purchase checks; auditors (an organic
/// inspector, a compliance reviewer) read what purchasers read and change nothing, not even the
/// audit record; admins do everything.
public enum Role: String, CaseIterable, Sendable, Codable {
    case admin
    case purchaser
    case auditor
}

/// An API key as stored: never the key itself, only its SHA-256 and a short prefix to recognise it.
public struct APIKey: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var role: Role
    /// The first characters of the key, shown in listings so people can tell keys apart.
    public var prefix: String
    public var createdAt: Date
    public var revokedAt: Date?
}

/// Issues, lists, revokes and checks API keys.
///
/// Keys are 256 random bits, so a fast hash is enough: there is nothing to brute-force, and a
/// per-request lookup stays cheap. Revocation takes effect on the next request: nothing is cached;
/// instead, requests that arrive together are authenticated by one query.
public struct APIKeyStore: Sendable {
    let database: Database
    let now: @Sendable () -> Date
    private let lookups: BatchQueue<String, APIKey?>

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
        lookups = BatchQueue { hashes in
            let found = try await Self.activeKeys(hashes: hashes, in: database)
            return hashes.map { .success(found[$0]) }
        }
    }

    /// Creates a key and returns it with the secret, which is not stored and cannot be shown again.
    public func create(name: String, role: Role) async throws -> (key: APIKey, secret: String) {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let secret = "cwk_" + bytes.hexString
        let key = APIKey(
            id: RecordID.make(), name: name, role: role,
            prefix: String(secret.prefix(12)), createdAt: now(), revokedAt: nil)
        try await database.transaction { db in
            if try await db.select().column("id").from("api_keys").where("name", .equal, name).first() != nil {
                throw StoreError.duplicateKeyName(name)
            }
            try await db.insert(into: "api_keys")
                .columns("id", "name", "role", "key_hash", "key_prefix", "created_at", "revoked_at")
                .values(key.id, key.name, key.role.rawValue, Self.hash(secret), key.prefix,
                        Timestamp.format(key.createdAt), String?.none)
                .run()
        }
        return (key, secret)
    }

    public func list() async throws -> [APIKey] {
        try await database.withConnection { db in
            try await db.raw("SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_keys ORDER BY name")
                .all().map(Self.key)
        }
    }

    /// Revokes the named key; false if there is no such key or it was already revoked.
    public func revoke(name: String) async throws -> Bool {
        try await database.transaction { db in
            let active = try await db.select().column("id").from("api_keys")
                .where("name", .equal, name).where("revoked_at", .is, SQLLiteral.null).first()
            guard active != nil else { return false }
            try await db.update("api_keys").set("revoked_at", to: Timestamp.format(now()))
                .where("name", .equal, name).run()
            return true
        }
    }

    /// The active key matching `secret`, or nil for an unknown or revoked one.
    public func authenticate(_ secret: String) async throws -> APIKey? {
        try await lookups.submit(Self.hash(secret))
    }

    /// The key with this id if it is not revoked: a web session re-checks its key on every request.
    public func activeKey(id: String) async throws -> APIKey? {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_keys WHERE id = \(bind: id) AND revoked_at IS NULL
                """).first().map(Self.key)
        }
    }

    private static func activeKeys(hashes: [String], in database: Database) async throws -> [String: APIKey] {
        try await database.withConnection { db in
            var found: [String: APIKey] = [:]
            for chunk in Array(Set(hashes)).chunked(SupplierWriter.rowsPerStatement) {
                for row in try await db.raw("""
                    SELECT id, name, role, key_hash, key_prefix, created_at, revoked_at FROM api_keys
                    WHERE key_hash IN \(SQLBind.group(chunk)) AND revoked_at IS NULL
                    """).all() {
                    found[try row.decode(column: "key_hash", as: String.self)] = try key(row)
                }
            }
            return found
        }
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }

    private static func key(_ row: any SQLRow) throws -> APIKey {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = Role(rawValue: roleText) else { throw CorruptRow(column: "api_keys.role", value: roleText) }
        return APIKey(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: role,
            prefix: try row.decode(column: "key_prefix", as: String.self),
            createdAt: try Timestamp.decode(row, "created_at", table: "api_keys"),
            revokedAt: try Timestamp.decodeIfPresent(row, "revoked_at", table: "api_keys"))
    }
}
