import CertWatchStore
import SQLKit

/// Someone who can change the schema, not only the rows: drops the triggers that keep the audit
/// record append-only (migration 19), so a test can rewrite the chain as such an attacker would.
public enum AuditTampering {
    /// The triggers that keep checks, the head and this database's checkpoints as written.
    static func guards(_ dialect: Database.Dialect) -> [(trigger: String, table: String)] {
        [("purchase_checks_no_update", "purchase_checks"), ("purchase_checks_no_delete", "purchase_checks"),
         ("audit_heads_forward", "audit_heads"), ("audit_heads_no_delete", "audit_heads")]
            + (dialect == .postgres ? [("audit_checkpoints_no_change", "audit_checkpoints")]
                : [("audit_checkpoints_no_update", "audit_checkpoints"), ("audit_checkpoints_no_delete", "audit_checkpoints")])
    }

    public static func dropGuards(_ database: Database) async throws {
        try await database.withConnection { db in
            for (trigger, table) in guards(database.dialect) {
                let on = database.dialect == .postgres ? " ON \(table)" : ""
                try await db.raw("DROP TRIGGER \(unsafeRaw: trigger)\(unsafeRaw: on)").run()
            }
        }
    }
}
