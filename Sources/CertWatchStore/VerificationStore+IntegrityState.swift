import CertWatchCore
import Foundation
import SQLKit

/// The `integrity_state` key-value table: small facts the INTEGRITY adapter keeps between runs
/// (the day of the last good sync, the size of the last accepted bulk download).
extension VerificationStore {
    /// The value kept under `key`, if any.
    public func state(_ key: String) async throws -> String? {
        try await database.withConnection { db in
            try await db.select().column("value").from("integrity_state").where("key", .equal, key).first()?
                .decode(column: "value", as: String.self)
        }
    }

    public func setState(_ key: String, _ value: String) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "integrity_state").columns("key", "value").values(key, value)
                .onConflict(with: ["key"]) { try $0.set(excludedValueOf: "value") }.run()
        }
    }
}
