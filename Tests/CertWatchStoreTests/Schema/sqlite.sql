-- index account_links_account
CREATE INDEX account_links_account ON account_links (account_id, purpose);
-- index activity_subject
CREATE INDEX activity_subject ON activity (subject, seq);
-- index alerts_supplier
CREATE INDEX alerts_supplier ON alerts (supplier_id, kind);
-- index alerts_unfanned
CREATE INDEX alerts_unfanned ON alerts (id) WHERE fanned_out_at IS NULL;
-- index certificate_request_links_supplier
CREATE INDEX certificate_request_links_supplier ON certificate_request_links (supplier_id);
-- index certificate_requests_due
CREATE INDEX certificate_requests_due ON certificate_requests (next_email_at) WHERE state = 'open';
-- index certificate_requests_open
CREATE UNIQUE INDEX certificate_requests_open ON certificate_requests (supplier_id, kind) WHERE state = 'open';
-- index certificate_requests_supplier
CREATE INDEX certificate_requests_supplier ON certificate_requests (supplier_id, created_at);
-- index certificates_governing
CREATE INDEX certificates_governing ON certificates (status_code, (COALESCE(valid_to, anniversary_date)));
-- index certificates_status
CREATE INDEX certificates_status ON certificates (status_code);
-- index deliveries_destination
CREATE INDEX deliveries_destination ON deliveries (destination, id);
-- index deliveries_due
CREATE INDEX deliveries_due ON deliveries (channel, status, next_attempt_at);
-- index delivery_attempts_delivery
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempted_at);
-- index documents_supplier
CREATE INDEX documents_supplier ON documents (supplier_id, uploaded_at);
-- index fraud_notices_identifier
CREATE INDEX fraud_notices_identifier ON fraud_notices (identifier_key);
-- index fraud_notices_name
CREATE INDEX fraud_notices_name ON fraud_notices (name_key);
-- index import_certificates_exporter
CREATE INDEX import_certificates_exporter ON import_certificates (exporter_id, recorded_at);
-- index job_runs_latest
CREATE INDEX job_runs_latest ON job_runs (job, started_at);
-- index purchase_checks_import_certificate
CREATE INDEX purchase_checks_import_certificate ON purchase_checks (import_certificate) WHERE import_certificate IS NOT NULL;
-- index purchase_checks_supplier
CREATE INDEX purchase_checks_supplier ON purchase_checks (supplier_id, seq);
-- index sign_in_failures_window
CREATE INDEX sign_in_failures_window ON sign_in_failures (window_started_at);
-- index status_history_at
CREATE INDEX status_history_at ON status_history (at);
-- index status_history_supplier
CREATE INDEX status_history_supplier ON status_history (supplier_id, at);
-- index supplier_tags_key
CREATE INDEX supplier_tags_key ON supplier_tags (tag_key);
-- index suppliers_name
CREATE INDEX suppliers_name ON suppliers (name, id);
-- index verifications_supplier
CREATE INDEX verifications_supplier ON verifications (supplier_id, at);
-- index web_sessions_account
CREATE INDEX web_sessions_account ON web_sessions (account_id);
-- index web_sessions_expiry
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
-- table account_links
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    purpose TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
-- table accounts
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
);
-- table activity
CREATE TABLE activity (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT, detail TEXT NOT NULL);
-- table alerts
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
, fanned_out_at TEXT);
-- table api_keys
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
-- table audit_checkpoints
CREATE TABLE audit_checkpoints (
    kind TEXT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    sealed_at TEXT NOT NULL,
    mac TEXT NOT NULL,
    PRIMARY KEY (kind, seq)
);
-- table audit_heads
CREATE TABLE audit_heads (chain TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
-- table auth_policy
CREATE TABLE auth_policy (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- table certificate_items
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
);
-- table certificate_request_links
CREATE TABLE certificate_request_links (
    token_hash TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL,
    request_ids TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
-- table certificate_requests
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
);
-- table certificates
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
);
-- table deliveries
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
);
-- table delivery_attempts
CREATE TABLE delivery_attempts (
    id TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES deliveries (id),
    attempted_at TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
-- table document_contents
CREATE TABLE document_contents (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    byte_count BIGINT NOT NULL,
    content BLOB NOT NULL
);
-- table document_readings
CREATE TABLE document_readings (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    status TEXT NOT NULL,
    detail TEXT,
    findings TEXT NOT NULL,
    read_at TEXT NOT NULL
);
-- table documents
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
);
-- table fraud_notices
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
);
-- table import_certificates
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
, origin TEXT, destination TEXT, hts_code TEXT, total_weight_kg TEXT, lot_numbers TEXT);
-- table integrity_directory
CREATE TABLE integrity_directory (
    nop_operation_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    other_names TEXT NOT NULL,
    city TEXT,
    country TEXT,
    certifier TEXT,
    status TEXT NOT NULL,
    search_text TEXT NOT NULL
);
-- table integrity_state
CREATE TABLE integrity_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- table job_runs
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
    error TEXT, resumable INTEGER NOT NULL DEFAULT 1,
    UNIQUE (job, slot)
);
-- table latest_verifications
CREATE TABLE latest_verifications (
    supplier_id TEXT PRIMARY KEY,
    verification_id TEXT NOT NULL,
    success_at TEXT,
    success_nop_operation_id TEXT
, success_record_digest TEXT);
-- table purchase_checks
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
, import_certificate TEXT, quantity TEXT, unit TEXT, import_line TEXT);
-- table recovery_codes
CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (account_id, code_hash)
);
-- table registry_revision
CREATE TABLE registry_revision (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
-- table retention_purges
CREATE TABLE retention_purges (
    id TEXT PRIMARY KEY,
    purged_at TEXT NOT NULL,
    before_date TEXT NOT NULL,
    documents BIGINT NOT NULL,
    verifications BIGINT NOT NULL,
    purchase_checks BIGINT NOT NULL,
    checks_through_seq BIGINT,
    checks_through_hash TEXT
);
-- table schema_migrations
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT);
-- table sign_in_failures
CREATE TABLE sign_in_failures (subject TEXT PRIMARY KEY, window_started_at TEXT NOT NULL, failures INTEGER NOT NULL);
-- table status_history
CREATE TABLE status_history (
    id TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL,
    verification_id TEXT NOT NULL,
    at TEXT NOT NULL,
    field TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    effective_date TEXT
, first_sighting INTEGER NOT NULL DEFAULT 0);
-- table supplier_tags
CREATE TABLE supplier_tags (
    supplier_id TEXT NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    PRIMARY KEY (supplier_id, tag_key)
);
-- table suppliers
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
, imports INTEGER NOT NULL DEFAULT 0, supplier_emails TEXT NOT NULL DEFAULT '[]');
-- table verification_runs
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
, declined TEXT, failures TEXT, first_sightings INTEGER NOT NULL DEFAULT 0, lease_expires_at TEXT);
-- table verifications
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
);
-- table web_sessions
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at TEXT NOT NULL
, account_id TEXT);
-- table webhook_endpoints
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
);
-- trigger activity_no_delete
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity record is append-only'); END;
-- trigger activity_no_update
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity record is append-only'); END;
-- trigger audit_checkpoints_no_delete
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
-- trigger audit_checkpoints_no_update
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
-- trigger audit_heads_forward
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads WHEN NEW.seq < OLD.seq OR NEW.chain <> OLD.chain
BEGIN SELECT RAISE(ABORT, 'the audit chain''s head only moves forward'); END;
-- trigger audit_heads_no_delete
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
BEGIN SELECT RAISE(ABORT, 'the audit chain''s head only moves forward'); END;
-- trigger certificate_items_revision_delete
CREATE TRIGGER certificate_items_revision_delete AFTER DELETE ON certificate_items BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger certificate_items_revision_insert
CREATE TRIGGER certificate_items_revision_insert AFTER INSERT ON certificate_items BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger certificate_items_revision_update
CREATE TRIGGER certificate_items_revision_update AFTER UPDATE ON certificate_items BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger certificates_revision_delete
CREATE TRIGGER certificates_revision_delete AFTER DELETE ON certificates BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger certificates_revision_insert
CREATE TRIGGER certificates_revision_insert AFTER INSERT ON certificates BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger certificates_revision_update
CREATE TRIGGER certificates_revision_update AFTER UPDATE ON certificates BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger document_readings_revision_delete
CREATE TRIGGER document_readings_revision_delete AFTER DELETE ON document_readings BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger document_readings_revision_insert
CREATE TRIGGER document_readings_revision_insert AFTER INSERT ON document_readings BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger document_readings_revision_update
CREATE TRIGGER document_readings_revision_update AFTER UPDATE ON document_readings BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger documents_revision_delete
CREATE TRIGGER documents_revision_delete AFTER DELETE ON documents BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger documents_revision_insert
CREATE TRIGGER documents_revision_insert AFTER INSERT ON documents BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger documents_revision_update
CREATE TRIGGER documents_revision_update AFTER UPDATE ON documents BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger fraud_notices_revision_delete
CREATE TRIGGER fraud_notices_revision_delete AFTER DELETE ON fraud_notices BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger fraud_notices_revision_insert
CREATE TRIGGER fraud_notices_revision_insert AFTER INSERT ON fraud_notices BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger fraud_notices_revision_update
CREATE TRIGGER fraud_notices_revision_update AFTER UPDATE ON fraud_notices BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger latest_verifications_revision_delete
CREATE TRIGGER latest_verifications_revision_delete AFTER DELETE ON latest_verifications BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger latest_verifications_revision_insert
CREATE TRIGGER latest_verifications_revision_insert AFTER INSERT ON latest_verifications BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger latest_verifications_revision_update
CREATE TRIGGER latest_verifications_revision_update AFTER UPDATE ON latest_verifications BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger purchase_checks_no_delete
CREATE TRIGGER purchase_checks_no_delete BEFORE DELETE ON purchase_checks
WHEN OLD.seq > (SELECT COALESCE(MAX(checks_through_seq), 0) FROM retention_purges)
BEGIN SELECT RAISE(ABORT, 'purchase checks are deleted only by the retention purge'); END;
-- trigger purchase_checks_no_update
CREATE TRIGGER purchase_checks_no_update BEFORE UPDATE ON purchase_checks
BEGIN SELECT RAISE(ABORT, 'purchase checks are append-only'); END;
-- trigger retention_purges_no_delete
CREATE TRIGGER retention_purges_no_delete BEFORE DELETE ON retention_purges
BEGIN SELECT RAISE(ABORT, 'retention purges are append-only'); END;
-- trigger retention_purges_no_update
CREATE TRIGGER retention_purges_no_update BEFORE UPDATE ON retention_purges
BEGIN SELECT RAISE(ABORT, 'retention purges are append-only'); END;
-- trigger suppliers_revision_delete
CREATE TRIGGER suppliers_revision_delete AFTER DELETE ON suppliers BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger suppliers_revision_insert
CREATE TRIGGER suppliers_revision_insert AFTER INSERT ON suppliers BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger suppliers_revision_update
CREATE TRIGGER suppliers_revision_update AFTER UPDATE ON suppliers BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger verifications_revision_delete
CREATE TRIGGER verifications_revision_delete AFTER DELETE ON verifications BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger verifications_revision_insert
CREATE TRIGGER verifications_revision_insert AFTER INSERT ON verifications BEGIN UPDATE registry_revision SET value = value + 1; END;
-- trigger verifications_revision_update
CREATE TRIGGER verifications_revision_update AFTER UPDATE ON verifications BEGIN UPDATE registry_revision SET value = value + 1; END;
