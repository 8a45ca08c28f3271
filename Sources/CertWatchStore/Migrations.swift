import Foundation
import SQLKit

/// The schema, as numbered steps applied in order and recorded in `schema_migrations`.
///
/// A step is never edited once released: change the schema by appending a step. The ledger keeps
/// a checksum of each applied step's SQL, and an edited step stops `run` (`Migrations+Ledger`). The same SQL runs
/// on SQLite and PostgreSQL (TEXT keys and ISO-8601 text timestamps keep it portable); where the
/// two differ a step says so. A table a step adds columns to is read with its columns named, not
/// `SELECT *` (see `PurchaseCheck.storedColumnNames`).
public enum Migrations {
    public struct Step: Sendable {
        public let version: Int
        public let name: String
        let statements: [String]
        /// Where the dialects differ, PostgreSQL runs these instead of `statements`.
        let postgresStatements: [String]?

        init(version: Int, name: String, statements: [String], postgres: [String]? = nil) {
            self.version = version
            self.name = name
            self.statements = statements
            self.postgresStatements = postgres
        }
    }

    public static let steps: [Step] = [
        Step(version: 1, name: "registry", statements: [
            """
            CREATE TABLE suppliers (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                other_names TEXT NOT NULL,
                nop_operation_id TEXT UNIQUE,
                certifier TEXT,
                country TEXT,
                contact_emails TEXT NOT NULL,
                time_zone TEXT,
                search_text TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX suppliers_name ON suppliers (name, id)",
            """
            CREATE TABLE supplier_tags (
                supplier_id TEXT NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                tag_key TEXT NOT NULL,
                PRIMARY KEY (supplier_id, tag_key)
            )
            """,
            "CREATE INDEX supplier_tags_key ON supplier_tags (tag_key)",
            """
            CREATE TABLE certificates (
                supplier_id TEXT PRIMARY KEY REFERENCES suppliers (id) ON DELETE CASCADE,
                scheme TEXT NOT NULL,
                number TEXT,
                status_code TEXT NOT NULL,
                status_text TEXT NOT NULL,
                status_effective_date TEXT,
                anniversary_date TEXT,
                valid_to TEXT,
                scopes TEXT NOT NULL
            )
            """,
            "CREATE INDEX certificates_status ON certificates (status_code)",
            """
            CREATE TABLE certificate_items (
                supplier_id TEXT NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                scope TEXT NOT NULL,
                category TEXT,
                items TEXT NOT NULL,
                varieties TEXT NOT NULL,
                status_code TEXT NOT NULL,
                status_text TEXT NOT NULL,
                status_effective_date TEXT,
                PRIMARY KEY (supplier_id, position)
            )
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                key_prefix TEXT NOT NULL,
                created_at TEXT NOT NULL,
                revoked_at TEXT
            )
            """,
        ]),
        Step(version: 2, name: "verification evidence", statements: [
            // Evidence outlives the supplier record (five years, 7 CFR 205.103): no foreign keys
            // that would cascade a supplier's deletion into its audit trail.
            """
            CREATE TABLE verification_runs (
                id TEXT PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                source TEXT NOT NULL,
                url TEXT,
                digest TEXT,
                byte_count BIGINT,
                outcome TEXT NOT NULL,
                reason TEXT,
                verified INTEGER NOT NULL,
                changed INTEGER NOT NULL,
                not_found INTEGER NOT NULL,
                failed INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE verifications (
                id TEXT PRIMARY KEY,
                run_id TEXT NOT NULL,
                supplier_id TEXT NOT NULL,
                nop_operation_id TEXT,
                at TEXT NOT NULL,
                source TEXT NOT NULL,
                url TEXT,
                digest TEXT,
                outcome TEXT NOT NULL,
                reason TEXT,
                found_status TEXT,
                changes TEXT NOT NULL
            )
            """,
            "CREATE INDEX verifications_supplier ON verifications (supplier_id, at)",
            """
            CREATE TABLE latest_verifications (
                supplier_id TEXT PRIMARY KEY,
                verification_id TEXT NOT NULL,
                success_at TEXT,
                success_nop_operation_id TEXT
            )
            """,
            """
            CREATE TABLE status_history (
                id TEXT PRIMARY KEY,
                supplier_id TEXT NOT NULL,
                verification_id TEXT NOT NULL,
                at TEXT NOT NULL,
                field TEXT NOT NULL,
                from_status TEXT,
                to_status TEXT,
                effective_date TEXT
            )
            """,
            "CREATE INDEX status_history_supplier ON status_history (supplier_id, at)",
            "CREATE TABLE integrity_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            // Every operation of the last complete INTEGRITY answer, for linking suppliers by a
            // person's choice (never automatically by name).
            """
            CREATE TABLE integrity_directory (
                nop_operation_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                other_names TEXT NOT NULL,
                city TEXT,
                country TEXT,
                certifier TEXT,
                status TEXT NOT NULL,
                search_text TEXT NOT NULL
            )
            """,
        ]),
        Step(version: 3, name: "purchase checks", statements: [
            // Append-only and hash-chained: `seq` orders the chain, `hash` covers the row's stored
            // text and `prev_hash`. No foreign keys, for the same reason as the evidence above.
            """
            CREATE TABLE purchase_checks (
                seq BIGINT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                checked_at TEXT NOT NULL,
                asked_by TEXT NOT NULL,
                requested TEXT NOT NULL,
                supplier_id TEXT,
                supplier_name TEXT,
                nop_operation_id TEXT,
                product TEXT NOT NULL,
                for_date TEXT NOT NULL,
                decision TEXT NOT NULL,
                reasons TEXT NOT NULL,
                matched_item TEXT,
                status TEXT,
                status_text TEXT,
                verification_id TEXT,
                verified_at TEXT,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX purchase_checks_supplier ON purchase_checks (supplier_id, seq)",
            // The end of each chain, locked while appending so replicas append one after another.
            "CREATE TABLE audit_heads (chain TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_heads (chain, seq, hash) VALUES ('purchase_checks', 0, '\(String(repeating: "0", count: 64))')",
        ]),
        Step(version: 4, name: "record digests", statements: [
            // The SHA-256 of INTEGRITY's record at the last successful verification: a nightly
            // run skips suppliers whose record still hashes the same and who were not edited since.
            "ALTER TABLE latest_verifications ADD COLUMN success_record_digest TEXT",
        ]),
        Step(version: 5, name: "alerts", statements: [
            // An alert exists once: `alert_key` (kind, supplier, threshold, governing date — or the
            // verification or run it reports) is unique in the database, not checked in code.
            """
            CREATE TABLE alerts (
                id TEXT PRIMARY KEY,
                alert_key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                supplier_id TEXT,
                governing_date TEXT,
                threshold_days INTEGER,
                created_at TEXT NOT NULL,
                withdrawn_at TEXT,
                data TEXT NOT NULL
            )
            """,
            "CREATE INDEX alerts_supplier ON alerts (supplier_id, kind)",
        ]),
        Step(version: 6, name: "webhooks and deliveries", statements: [
            // Secrets are kept as given (they must sign) and never returned after creation.
            // A rotated-out secret keeps signing until `previous_secret_until`.
            """
            CREATE TABLE webhook_endpoints (
                id TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                description TEXT,
                event_types TEXT NOT NULL,
                secret TEXT NOT NULL,
                previous_secret TEXT,
                previous_secret_until TEXT,
                enabled INTEGER NOT NULL,
                disabled_reason TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            // The outbox: one row per alert × channel × destination (unique, so fanning out twice
            // adds nothing), claimed with a lease and retried until delivered or given up.
            // `message_id` is the `webhook-id`, the same on every retry.
            """
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY,
                alert_id TEXT REFERENCES alerts (id),
                event_type TEXT NOT NULL,
                channel TEXT NOT NULL,
                destination TEXT NOT NULL,
                message_id TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at TEXT NOT NULL,
                lease_owner TEXT,
                lease_expires_at TEXT,
                last_status INTEGER,
                last_error TEXT,
                delivered_at TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (alert_id, channel, destination)
            )
            """,
            "CREATE INDEX deliveries_due ON deliveries (channel, status, next_attempt_at)",
            "CREATE INDEX deliveries_destination ON deliveries (destination, id)",
            """
            CREATE TABLE delivery_attempts (
                id TEXT PRIMARY KEY,
                delivery_id TEXT NOT NULL REFERENCES deliveries (id),
                attempted_at TEXT NOT NULL,
                status INTEGER,
                error TEXT,
                duration_ms INTEGER NOT NULL
            )
            """,
            "CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempted_at)",
            // Alerts not yet turned into deliveries.
            "ALTER TABLE alerts ADD COLUMN fanned_out_at TEXT",
            "CREATE INDEX alerts_unfanned ON alerts (id) WHERE fanned_out_at IS NULL",
        ]),
        Step(version: 7, name: "lapsing index", statements: [
            // The expiry scan reads certified certificates by governing date; without this index
            // it reads every certificate.
            "CREATE INDEX certificates_governing ON certificates (status_code, (COALESCE(valid_to, anniversary_date)))",
        ]),
        Step(version: 8, name: "job runs", statements: [
            // One row per (job, slot): the replica whose insert succeeds runs the slot, holding a
            // lease it renews; a run whose lease ran out unfinished is taken over.
            """
            CREATE TABLE job_runs (
                id TEXT PRIMARY KEY,
                job TEXT NOT NULL,
                slot TEXT NOT NULL,
                started_at TEXT NOT NULL,
                lease_owner TEXT,
                lease_expires_at TEXT,
                attempts INTEGER NOT NULL,
                finished_at TEXT,
                outcome TEXT,
                summary TEXT,
                error TEXT,
                UNIQUE (job, slot)
            )
            """,
            "CREATE INDEX job_runs_latest ON job_runs (job, started_at)",
        ]),
        // The registry revision (RegistryRevision): triggers on every table a purchase check reads.
        // SQLite has row triggers only: one per table and kind of change; PostgreSQL moves it once
        // per statement.
        Step(version: 9, name: "registry revision", statements: [
            "CREATE TABLE registry_revision (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL)",
            "INSERT INTO registry_revision (id, value) VALUES (1, 0)",
            "CREATE TRIGGER suppliers_revision_insert AFTER INSERT ON suppliers BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER suppliers_revision_update AFTER UPDATE ON suppliers BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER suppliers_revision_delete AFTER DELETE ON suppliers BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER certificates_revision_insert AFTER INSERT ON certificates BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER certificates_revision_update AFTER UPDATE ON certificates BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER certificates_revision_delete AFTER DELETE ON certificates BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER certificate_items_revision_insert AFTER INSERT ON certificate_items BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER certificate_items_revision_update AFTER UPDATE ON certificate_items BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER certificate_items_revision_delete AFTER DELETE ON certificate_items BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER verifications_revision_insert AFTER INSERT ON verifications BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER verifications_revision_update AFTER UPDATE ON verifications BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER verifications_revision_delete AFTER DELETE ON verifications BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER latest_verifications_revision_insert AFTER INSERT ON latest_verifications BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER latest_verifications_revision_update AFTER UPDATE ON latest_verifications BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER latest_verifications_revision_delete AFTER DELETE ON latest_verifications BEGIN UPDATE registry_revision SET value = value + 1; END",
        ], postgres: [
            "CREATE TABLE registry_revision (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL)",
            "INSERT INTO registry_revision (id, value) VALUES (1, 0)",
            """
            CREATE FUNCTION registry_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE registry_revision SET value = value + 1; RETURN NULL; END $$
            """,
            "CREATE TRIGGER suppliers_revision AFTER INSERT OR UPDATE OR DELETE ON suppliers FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
            "CREATE TRIGGER certificates_revision AFTER INSERT OR UPDATE OR DELETE ON certificates FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
            "CREATE TRIGGER certificate_items_revision AFTER INSERT OR UPDATE OR DELETE ON certificate_items FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
            "CREATE TRIGGER verifications_revision AFTER INSERT OR UPDATE OR DELETE ON verifications FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
            "CREATE TRIGGER latest_verifications_revision AFTER INSERT OR UPDATE OR DELETE ON latest_verifications FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
        ]),
        Step(version: 10, name: "web sessions, certifier in search", statements: [
            """
            CREATE TABLE web_sessions (
                id_hash TEXT PRIMARY KEY,
                data TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX web_sessions_expiry ON web_sessions (expires_at)",
            // The dashboard lists the latest status changes.
            "CREATE INDEX status_history_at ON status_history (at)",
            // The search now finds a supplier by its certifier too (SupplierWriter.searchText).
            "UPDATE suppliers SET search_text = search_text || char(10) || LOWER(COALESCE(certifier, ''))",
        ], postgres: [
            """
            CREATE TABLE web_sessions (
                id_hash TEXT PRIMARY KEY,
                data TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX web_sessions_expiry ON web_sessions (expires_at)",
            "CREATE INDEX status_history_at ON status_history (at)",
            "UPDATE suppliers SET search_text = search_text || chr(10) || LOWER(COALESCE(certifier, ''))",
        ]),
        Step(version: 11, name: "documents on file", statements: [
            // Content-addressed: a file uploaded twice is stored once.
            """
            CREATE TABLE document_contents (
                sha256 TEXT PRIMARY KEY,
                media_type TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                content BLOB NOT NULL
            )
            """,
            // No foreign key to suppliers: a supplier deleted from the registry keeps its documents.
            """
            CREATE TABLE documents (
                id TEXT PRIMARY KEY,
                supplier_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                file_name TEXT,
                sha256 TEXT NOT NULL REFERENCES document_contents (sha256),
                media_type TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                uploaded_at TEXT NOT NULL,
                uploaded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX documents_supplier ON documents (supplier_id, uploaded_at)",
        ], postgres: [
            """
            CREATE TABLE document_contents (
                sha256 TEXT PRIMARY KEY,
                media_type TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                content BYTEA NOT NULL
            )
            """,
            """
            CREATE TABLE documents (
                id TEXT PRIMARY KEY,
                supplier_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                file_name TEXT,
                sha256 TEXT NOT NULL REFERENCES document_contents (sha256),
                media_type TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                uploaded_at TEXT NOT NULL,
                uploaded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX documents_supplier ON documents (supplier_id, uploaded_at)",
        ]),
        Step(version: 12, name: "document readings", statements: [
            // What reading a document found: its text's status and the cross-check's findings (JSON).
            """
            CREATE TABLE document_readings (
                document_id TEXT PRIMARY KEY REFERENCES documents (id),
                status TEXT NOT NULL,
                detail TEXT,
                findings TEXT NOT NULL,
                read_at TEXT NOT NULL
            )
            """,
        ]),
        Step(version: 13, name: "certificates on file move the registry revision", statements: [
            // Purchase checks read the certificate on file and its reading (RegistryRevision).
            "CREATE TRIGGER documents_revision_insert AFTER INSERT ON documents BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER documents_revision_update AFTER UPDATE ON documents BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER documents_revision_delete AFTER DELETE ON documents BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER document_readings_revision_insert AFTER INSERT ON document_readings BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER document_readings_revision_update AFTER UPDATE ON document_readings BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER document_readings_revision_delete AFTER DELETE ON document_readings BEGIN UPDATE registry_revision SET value = value + 1; END",
        ], postgres: [
            "CREATE TRIGGER documents_revision AFTER INSERT OR UPDATE OR DELETE ON documents FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
            "CREATE TRIGGER document_readings_revision AFTER INSERT OR UPDATE OR DELETE ON document_readings FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
        ]),
        Step(version: 14, name: "retention purges", statements: [
            // Each purge: what went, and where the purchase-check chain now starts (the last
            // purged check's seq and hash), so the checks kept still verify.
            """
            CREATE TABLE retention_purges (
                id TEXT PRIMARY KEY,
                purged_at TEXT NOT NULL,
                before_date TEXT NOT NULL,
                documents BIGINT NOT NULL,
                verifications BIGINT NOT NULL,
                purchase_checks BIGINT NOT NULL,
                checks_through_seq BIGINT,
                checks_through_hash TEXT
            )
            """,
        ]),
        Step(version: 15, name: "fraud notices", statements: [
            // NOP's notices of fraudulent certificates; checks read them, so they move the revision.
            """
            CREATE TABLE fraud_notices (
                id TEXT PRIMARY KEY,
                notice_key TEXT NOT NULL UNIQUE,
                operation_name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                identifier TEXT,
                identifier_key TEXT,
                certifier TEXT,
                notice_date TEXT NOT NULL,
                url TEXT NOT NULL,
                imported_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX fraud_notices_name ON fraud_notices (name_key)",
            "CREATE INDEX fraud_notices_identifier ON fraud_notices (identifier_key)",
            "CREATE TRIGGER fraud_notices_revision_insert AFTER INSERT ON fraud_notices BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER fraud_notices_revision_update AFTER UPDATE ON fraud_notices BEGIN UPDATE registry_revision SET value = value + 1; END",
            "CREATE TRIGGER fraud_notices_revision_delete AFTER DELETE ON fraud_notices BEGIN UPDATE registry_revision SET value = value + 1; END",
        ], postgres: [
            """
            CREATE TABLE fraud_notices (
                id TEXT PRIMARY KEY,
                notice_key TEXT NOT NULL UNIQUE,
                operation_name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                identifier TEXT,
                identifier_key TEXT,
                certifier TEXT,
                notice_date TEXT NOT NULL,
                url TEXT NOT NULL,
                imported_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX fraud_notices_name ON fraud_notices (name_key)",
            "CREATE INDEX fraud_notices_identifier ON fraud_notices (identifier_key)",
            "CREATE TRIGGER fraud_notices_revision AFTER INSERT OR UPDATE OR DELETE ON fraud_notices FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()",
        ]),
        Step(version: 16, name: "NOP import certificates", statements: [
            // A certificate's product lines are a JSON list: read and written with it, never alone.
            """
            CREATE TABLE import_certificates (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                exporter_id TEXT NOT NULL,
                importer TEXT NOT NULL,
                kind TEXT NOT NULL,
                shipment_date TEXT,
                valid_from TEXT,
                valid_to TEXT,
                port_of_entry TEXT,
                certifier TEXT,
                document_id TEXT,
                lines TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX import_certificates_exporter ON import_certificates (exporter_id, recorded_at)",
            // The lot a check asked about; hashed into the chain only when set (PurchaseCheck.lotColumns).
            "ALTER TABLE purchase_checks ADD COLUMN import_certificate TEXT",
            "ALTER TABLE purchase_checks ADD COLUMN quantity TEXT",
            "ALTER TABLE purchase_checks ADD COLUMN unit TEXT",
            "ALTER TABLE purchase_checks ADD COLUMN import_line TEXT",
            // Partial: the many checks that name no lot cost no index entry.
            "CREATE INDEX purchase_checks_import_certificate ON purchase_checks (import_certificate) WHERE import_certificate IS NOT NULL",
            "ALTER TABLE suppliers ADD COLUMN imports INTEGER NOT NULL DEFAULT 0",
        ]),
        Step(version: 17, name: "which source answered a run, failures by reason", statements: [
            // JSON lists: the sources passed over or declined before one answered, and the failed
            // verifications grouped by reason. Runs recorded before keep NULL (read as none).
            "ALTER TABLE verification_runs ADD COLUMN declined TEXT",
            "ALTER TABLE verification_runs ADD COLUMN failures TEXT",
        ]),
        Step(version: 18, name: "first sightings, leases of runs started by hand", statements: [
            // INTEGRITY's first answer about a supplier is recorded, but it is no change.
            "ALTER TABLE status_history ADD COLUMN first_sighting INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE verification_runs ADD COLUMN first_sightings INTEGER NOT NULL DEFAULT 0",
            // A run outside the job runs (Verify now) renews this while it works; past it, the
            // run is closed as abandoned. Job runs keep theirs in job_runs.
            "ALTER TABLE verification_runs ADD COLUMN lease_expires_at TEXT",
            // 0: a run whose work another replica cannot redo (an operator's file import); when
            // its lease runs out it is closed as abandoned instead of taken over.
            "ALTER TABLE job_runs ADD COLUMN resumable INTEGER NOT NULL DEFAULT 1",
        ]),
        // The audit record refuses to be rewritten: purchase checks are never updated and are
        // deleted only at or below the last retention purge's record (the purge writes that first);
        // purges are never changed; the chain's head only moves forward. This stops a mistake or a
        // careless script, not someone who can drop a trigger: checkpoints catch that.
        Step(version: 19, name: "append-only audit record, checkpoints", statements: [
            auditCheckpointsTable,
            """
            CREATE TRIGGER purchase_checks_no_update BEFORE UPDATE ON purchase_checks
            BEGIN SELECT RAISE(ABORT, 'purchase checks are append-only'); END
            """,
            """
            CREATE TRIGGER purchase_checks_no_delete BEFORE DELETE ON purchase_checks
            WHEN OLD.seq > (SELECT COALESCE(MAX(checks_through_seq), 0) FROM retention_purges)
            BEGIN SELECT RAISE(ABORT, 'purchase checks are deleted only by the retention purge'); END
            """,
            """
            CREATE TRIGGER retention_purges_no_update BEFORE UPDATE ON retention_purges
            BEGIN SELECT RAISE(ABORT, 'retention purges are append-only'); END
            """,
            """
            CREATE TRIGGER retention_purges_no_delete BEFORE DELETE ON retention_purges
            BEGIN SELECT RAISE(ABORT, 'retention purges are append-only'); END
            """,
            """
            CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads WHEN NEW.seq < OLD.seq OR NEW.chain <> OLD.chain
            BEGIN SELECT RAISE(ABORT, 'the audit chain''s head only moves forward'); END
            """,
            """
            CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
            BEGIN SELECT RAISE(ABORT, 'the audit chain''s head only moves forward'); END
            """,
            """
            CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
            BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END
            """,
            """
            CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
            BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END
            """,
        ], postgres: [
            auditCheckpointsTable,
            """
            CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% on %: the audit record is append-only', TG_OP, TG_TABLE_NAME; END $$
            """,
            """
            CREATE FUNCTION purchase_checks_purge_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.seq <= (SELECT COALESCE(MAX(checks_through_seq), 0) FROM retention_purges) THEN RETURN OLD; END IF;
                RAISE EXCEPTION 'purchase checks are deleted only by the retention purge';
            END $$
            """,
            """
            CREATE FUNCTION audit_heads_forward() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.seq < OLD.seq OR NEW.chain <> OLD.chain THEN
                    RAISE EXCEPTION 'the audit chain''s head only moves forward';
                END IF;
                RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER purchase_checks_no_update BEFORE UPDATE ON purchase_checks FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            "CREATE TRIGGER purchase_checks_no_delete BEFORE DELETE ON purchase_checks FOR EACH ROW EXECUTE FUNCTION purchase_checks_purge_only()",
            "CREATE TRIGGER retention_purges_no_change BEFORE UPDATE OR DELETE ON retention_purges FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            "CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads FOR EACH ROW EXECUTE FUNCTION audit_heads_forward()",
            "CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            // TRUNCATE skips row triggers.
            "CREATE TRIGGER purchase_checks_no_truncate BEFORE TRUNCATE ON purchase_checks FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
            "CREATE TRIGGER retention_purges_no_truncate BEFORE TRUNCATE ON retention_purges FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
            "CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
            "CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            "CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
        ]),
        Step(version: 20, name: "people's accounts", statements: accountsTables + [
            "CREATE TABLE activity (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT, detail TEXT NOT NULL)",
            "CREATE INDEX activity_subject ON activity (subject, seq)",
            """
            CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
            BEGIN SELECT RAISE(ABORT, 'the activity record is append-only'); END
            """,
            """
            CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
            BEGIN SELECT RAISE(ABORT, 'the activity record is append-only'); END
            """,
        ], postgres: accountsTables + [
            "CREATE TABLE activity (seq BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT, detail TEXT NOT NULL)",
            "CREATE INDEX activity_subject ON activity (subject, seq)",
            "CREATE TRIGGER activity_no_change BEFORE UPDATE OR DELETE ON activity FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            "CREATE TRIGGER activity_no_truncate BEFORE TRUNCATE ON activity FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
        ]),
        // Issue 24: what 7 USC 6502(13) lists and brokers file, each optional (NULL: not
        // recorded). The weight is text, as purchase checks' quantities are; lots a JSON list.
        Step(version: 21, name: "import certificate details", statements: importCertificateDetails, postgres: importCertificateDetails),
        Step(version: 22, name: "certificate requests", statements: certificateRequestTables, postgres: certificateRequestTables),
    ]

    /// This database's copy of the chain's checkpoints (`AuditCheckpoint`), one per kind and
    /// record, so replicas sealing together seal once. The copies that count are kept elsewhere.
    private static let auditCheckpointsTable = """
        CREATE TABLE audit_checkpoints (
            kind TEXT NOT NULL,
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL,
            sealed_at TEXT NOT NULL,
            mac TEXT NOT NULL,
            PRIMARY KEY (kind, seq)
        )
        """

    private static let importCertificateDetails = ["origin", "destination", "hts_code", "total_weight_kg", "lot_numbers"]
        .map { "ALTER TABLE import_certificates ADD COLUMN \($0) TEXT" }

    /// Certificate requests (migration step 22): the supplier's own addresses; each request, of
    /// which the database (not code) keeps one open per supplier and kind; and the links emailed
    /// for them, kept as SHA-256 of the token. No foreign key to suppliers: a request is
    /// evidence and outlives the supplier, as documents do. `auto_key` makes an automatic
    /// request once per governing date; `next_email_at` is when a reminder is due.
    private static let certificateRequestTables = [
        "ALTER TABLE suppliers ADD COLUMN supplier_emails TEXT NOT NULL DEFAULT '[]'",
        """
        CREATE TABLE certificate_requests (
            id TEXT PRIMARY KEY,
            supplier_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            origin TEXT NOT NULL,
            auto_key TEXT UNIQUE,
            recipients TEXT NOT NULL,
            requested_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            next_email_at TEXT,
            emails_sent INTEGER NOT NULL DEFAULT 0,
            closed_at TEXT,
            closed_by TEXT,
            document_id TEXT
        )
        """,
        "CREATE UNIQUE INDEX certificate_requests_open ON certificate_requests (supplier_id, kind) WHERE state = 'open'",
        "CREATE INDEX certificate_requests_due ON certificate_requests (next_email_at) WHERE state = 'open'",
        "CREATE INDEX certificate_requests_supplier ON certificate_requests (supplier_id, created_at)",
        """
        CREATE TABLE certificate_request_links (
            token_hash TEXT PRIMARY KEY,
            supplier_id TEXT NOT NULL,
            request_ids TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX certificate_request_links_supplier ON certificate_request_links (supplier_id)",
        // Every count of a sign-in or an upload sweeps old windows: by index, not a scan.
        "CREATE INDEX sign_in_failures_window ON sign_in_failures (window_started_at)",
    ]

    /// People's accounts (migration step 20): the account; its one-time links (invitation,
    /// password reset), kept as SHA-256 of the token; its recovery codes, likewise; failed
    /// sign-ins per account and per client address, so every replica counts the same; the
    /// admins' policy; and each web session's account, so a person's sessions can be listed and
    /// ended together.
    private static let accountsTables = [
        """
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            state TEXT NOT NULL,
            password_hash TEXT,
            totp_secret TEXT,
            totp_last_step BIGINT,
            sessions_valid_from TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE account_links (
            token_hash TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts (id),
            purpose TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """,
        "CREATE INDEX account_links_account ON account_links (account_id, purpose)",
        """
        CREATE TABLE recovery_codes (
            account_id TEXT NOT NULL REFERENCES accounts (id),
            code_hash TEXT NOT NULL,
            used_at TEXT,
            PRIMARY KEY (account_id, code_hash)
        )
        """,
        "CREATE TABLE sign_in_failures (subject TEXT PRIMARY KEY, window_started_at TEXT NOT NULL, failures INTEGER NOT NULL)",
        "CREATE TABLE auth_policy (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "ALTER TABLE web_sessions ADD COLUMN account_id TEXT",
        "CREATE INDEX web_sessions_account ON web_sessions (account_id)",
    ]

    /// The key of the PostgreSQL advisory lock that serialises migrations. Any constant works as
    /// long as nothing else on the server uses it; it must never change, or a replica of an older
    /// release and one of a newer release could migrate at the same time.
    static let migrationLockKey = 727_274
}
