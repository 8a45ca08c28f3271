-- columns
account_links.token_hash text NOT NULL
account_links.account_id text NOT NULL
account_links.purpose text NOT NULL
account_links.created_at text NOT NULL
account_links.expires_at text NOT NULL
account_links.used_at text
accounts.id text NOT NULL
accounts.email text NOT NULL
accounts.display_name text NOT NULL
accounts.role text NOT NULL
accounts.state text NOT NULL
accounts.password_hash text
accounts.totp_secret text
accounts.totp_last_step bigint
accounts.sessions_valid_from text
accounts.created_at text NOT NULL
accounts.updated_at text NOT NULL
activity.seq bigint NOT NULL DEFAULT nextval('activity_seq_seq'::regclass)
activity.at text NOT NULL
activity.actor text NOT NULL
activity.action text NOT NULL
activity.subject text
activity.detail text NOT NULL
alerts.id text NOT NULL
alerts.alert_key text NOT NULL
alerts.kind text NOT NULL
alerts.supplier_id text
alerts.governing_date text
alerts.threshold_days integer
alerts.created_at text NOT NULL
alerts.withdrawn_at text
alerts.data text NOT NULL
alerts.fanned_out_at text
api_keys.id text NOT NULL
api_keys.name text NOT NULL
api_keys.role text NOT NULL
api_keys.key_hash text NOT NULL
api_keys.key_prefix text NOT NULL
api_keys.created_at text NOT NULL
api_keys.revoked_at text
audit_checkpoints.kind text NOT NULL
audit_checkpoints.seq bigint NOT NULL
audit_checkpoints.hash text NOT NULL
audit_checkpoints.sealed_at text NOT NULL
audit_checkpoints.mac text NOT NULL
audit_heads.chain text NOT NULL
audit_heads.seq bigint NOT NULL
audit_heads.hash text NOT NULL
auth_policy.key text NOT NULL
auth_policy.value text NOT NULL
certificate_items.supplier_id text NOT NULL
certificate_items.position integer NOT NULL
certificate_items.scope text NOT NULL
certificate_items.category text
certificate_items.items text NOT NULL
certificate_items.varieties text NOT NULL
certificate_items.status_code text NOT NULL
certificate_items.status_text text NOT NULL
certificate_items.status_effective_date text
certificate_request_links.token_hash text NOT NULL
certificate_request_links.supplier_id text NOT NULL
certificate_request_links.request_ids text NOT NULL
certificate_request_links.created_at text NOT NULL
certificate_request_links.expires_at text NOT NULL
certificate_requests.id text NOT NULL
certificate_requests.supplier_id text NOT NULL
certificate_requests.kind text NOT NULL
certificate_requests.state text NOT NULL
certificate_requests.origin text NOT NULL
certificate_requests.auto_key text
certificate_requests.recipients text NOT NULL
certificate_requests.requested_by text NOT NULL
certificate_requests.created_at text NOT NULL
certificate_requests.expires_at text NOT NULL
certificate_requests.next_email_at text
certificate_requests.emails_sent integer NOT NULL DEFAULT 0
certificate_requests.closed_at text
certificate_requests.closed_by text
certificate_requests.document_id text
certificates.supplier_id text NOT NULL
certificates.scheme text NOT NULL
certificates.number text
certificates.status_code text NOT NULL
certificates.status_text text NOT NULL
certificates.status_effective_date text
certificates.anniversary_date text
certificates.valid_to text
certificates.scopes text NOT NULL
deliveries.id text NOT NULL
deliveries.alert_id text
deliveries.event_type text NOT NULL
deliveries.channel text NOT NULL
deliveries.destination text NOT NULL
deliveries.message_id text NOT NULL
deliveries.payload text NOT NULL
deliveries.status text NOT NULL
deliveries.attempts integer NOT NULL
deliveries.next_attempt_at text NOT NULL
deliveries.lease_owner text
deliveries.lease_expires_at text
deliveries.last_status integer
deliveries.last_error text
deliveries.delivered_at text
deliveries.created_at text NOT NULL
delivery_attempts.id text NOT NULL
delivery_attempts.delivery_id text NOT NULL
delivery_attempts.attempted_at text NOT NULL
delivery_attempts.status integer
delivery_attempts.error text
delivery_attempts.duration_ms integer NOT NULL
document_contents.sha256 text NOT NULL
document_contents.media_type text NOT NULL
document_contents.byte_count bigint NOT NULL
document_contents.content bytea NOT NULL
document_readings.document_id text NOT NULL
document_readings.status text NOT NULL
document_readings.detail text
document_readings.findings text NOT NULL
document_readings.read_at text NOT NULL
documents.id text NOT NULL
documents.supplier_id text NOT NULL
documents.kind text NOT NULL
documents.file_name text
documents.sha256 text NOT NULL
documents.media_type text NOT NULL
documents.byte_count bigint NOT NULL
documents.uploaded_at text NOT NULL
documents.uploaded_by text NOT NULL
fraud_notices.id text NOT NULL
fraud_notices.notice_key text NOT NULL
fraud_notices.operation_name text NOT NULL
fraud_notices.name_key text NOT NULL
fraud_notices.identifier text
fraud_notices.identifier_key text
fraud_notices.certifier text
fraud_notices.notice_date text NOT NULL
fraud_notices.url text NOT NULL
fraud_notices.imported_at text NOT NULL
import_certificates.id text NOT NULL
import_certificates.number text NOT NULL
import_certificates.exporter_id text NOT NULL
import_certificates.importer text NOT NULL
import_certificates.kind text NOT NULL
import_certificates.shipment_date text
import_certificates.valid_from text
import_certificates.valid_to text
import_certificates.port_of_entry text
import_certificates.certifier text
import_certificates.document_id text
import_certificates.lines text NOT NULL
import_certificates.recorded_at text NOT NULL
import_certificates.recorded_by text NOT NULL
import_certificates.origin text
import_certificates.destination text
import_certificates.hts_code text
import_certificates.total_weight_kg text
import_certificates.lot_numbers text
integrity_directory.nop_operation_id text NOT NULL
integrity_directory.name text NOT NULL
integrity_directory.other_names text NOT NULL
integrity_directory.city text
integrity_directory.country text
integrity_directory.certifier text
integrity_directory.status text NOT NULL
integrity_directory.search_text text NOT NULL
integrity_state.key text NOT NULL
integrity_state.value text NOT NULL
job_runs.id text NOT NULL
job_runs.job text NOT NULL
job_runs.slot text NOT NULL
job_runs.started_at text NOT NULL
job_runs.lease_owner text
job_runs.lease_expires_at text
job_runs.attempts integer NOT NULL
job_runs.finished_at text
job_runs.outcome text
job_runs.summary text
job_runs.error text
job_runs.resumable integer NOT NULL DEFAULT 1
latest_verifications.supplier_id text NOT NULL
latest_verifications.verification_id text NOT NULL
latest_verifications.success_at text
latest_verifications.success_nop_operation_id text
latest_verifications.success_record_digest text
purchase_checks.seq bigint NOT NULL
purchase_checks.id text NOT NULL
purchase_checks.checked_at text NOT NULL
purchase_checks.asked_by text NOT NULL
purchase_checks.requested text NOT NULL
purchase_checks.supplier_id text
purchase_checks.supplier_name text
purchase_checks.nop_operation_id text
purchase_checks.product text NOT NULL
purchase_checks.for_date text NOT NULL
purchase_checks.decision text NOT NULL
purchase_checks.reasons text NOT NULL
purchase_checks.matched_item text
purchase_checks.status text
purchase_checks.status_text text
purchase_checks.verification_id text
purchase_checks.verified_at text
purchase_checks.prev_hash text NOT NULL
purchase_checks.hash text NOT NULL
purchase_checks.import_certificate text
purchase_checks.quantity text
purchase_checks.unit text
purchase_checks.import_line text
recovery_codes.account_id text NOT NULL
recovery_codes.code_hash text NOT NULL
recovery_codes.used_at text
registry_revision.id integer NOT NULL
registry_revision.value bigint NOT NULL
retention_purges.id text NOT NULL
retention_purges.purged_at text NOT NULL
retention_purges.before_date text NOT NULL
retention_purges.documents bigint NOT NULL
retention_purges.verifications bigint NOT NULL
retention_purges.purchase_checks bigint NOT NULL
retention_purges.checks_through_seq bigint
retention_purges.checks_through_hash text
schema_migrations.version integer NOT NULL
schema_migrations.name text NOT NULL
schema_migrations.applied_at text NOT NULL
schema_migrations.checksum text
sign_in_failures.subject text NOT NULL
sign_in_failures.window_started_at text NOT NULL
sign_in_failures.failures integer NOT NULL
status_history.id text NOT NULL
status_history.supplier_id text NOT NULL
status_history.verification_id text NOT NULL
status_history.at text NOT NULL
status_history.field text NOT NULL
status_history.from_status text
status_history.to_status text
status_history.effective_date text
status_history.first_sighting integer NOT NULL DEFAULT 0
supplier_tags.supplier_id text NOT NULL
supplier_tags.tag text NOT NULL
supplier_tags.tag_key text NOT NULL
suppliers.id text NOT NULL
suppliers.name text NOT NULL
suppliers.other_names text NOT NULL
suppliers.nop_operation_id text
suppliers.certifier text
suppliers.country text
suppliers.contact_emails text NOT NULL
suppliers.time_zone text
suppliers.search_text text NOT NULL
suppliers.created_at text NOT NULL
suppliers.updated_at text NOT NULL
suppliers.imports integer NOT NULL DEFAULT 0
suppliers.supplier_emails text NOT NULL DEFAULT '[]'::text
verification_runs.id text NOT NULL
verification_runs.started_at text NOT NULL
verification_runs.finished_at text
verification_runs.source text NOT NULL
verification_runs.url text
verification_runs.digest text
verification_runs.byte_count bigint
verification_runs.outcome text NOT NULL
verification_runs.reason text
verification_runs.verified integer NOT NULL
verification_runs.changed integer NOT NULL
verification_runs.not_found integer NOT NULL
verification_runs.failed integer NOT NULL
verification_runs.declined text
verification_runs.failures text
verification_runs.first_sightings integer NOT NULL DEFAULT 0
verification_runs.lease_expires_at text
verifications.id text NOT NULL
verifications.run_id text NOT NULL
verifications.supplier_id text NOT NULL
verifications.nop_operation_id text
verifications.at text NOT NULL
verifications.source text NOT NULL
verifications.url text
verifications.digest text
verifications.outcome text NOT NULL
verifications.reason text
verifications.found_status text
verifications.changes text NOT NULL
web_sessions.id_hash text NOT NULL
web_sessions.data text NOT NULL
web_sessions.expires_at text NOT NULL
web_sessions.account_id text
webhook_endpoints.id text NOT NULL
webhook_endpoints.url text NOT NULL
webhook_endpoints.description text
webhook_endpoints.event_types text NOT NULL
webhook_endpoints.secret text NOT NULL
webhook_endpoints.previous_secret text
webhook_endpoints.previous_secret_until text
webhook_endpoints.enabled integer NOT NULL
webhook_endpoints.disabled_reason text
webhook_endpoints.created_at text NOT NULL
webhook_endpoints.updated_at text NOT NULL
-- constraints
account_links account_links_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id)
account_links account_links_pkey PRIMARY KEY (token_hash)
accounts accounts_email_key UNIQUE (email)
accounts accounts_pkey PRIMARY KEY (id)
activity activity_pkey PRIMARY KEY (seq)
alerts alerts_alert_key_key UNIQUE (alert_key)
alerts alerts_pkey PRIMARY KEY (id)
api_keys api_keys_key_hash_key UNIQUE (key_hash)
api_keys api_keys_name_key UNIQUE (name)
api_keys api_keys_pkey PRIMARY KEY (id)
audit_checkpoints audit_checkpoints_pkey PRIMARY KEY (kind, seq)
audit_heads audit_heads_pkey PRIMARY KEY (chain)
auth_policy auth_policy_pkey PRIMARY KEY (key)
certificate_items certificate_items_pkey PRIMARY KEY (supplier_id, "position")
certificate_items certificate_items_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES suppliers(id) ON DELETE CASCADE
certificate_request_links certificate_request_links_pkey PRIMARY KEY (token_hash)
certificate_requests certificate_requests_auto_key_key UNIQUE (auto_key)
certificate_requests certificate_requests_pkey PRIMARY KEY (id)
certificates certificates_pkey PRIMARY KEY (supplier_id)
certificates certificates_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES suppliers(id) ON DELETE CASCADE
deliveries deliveries_alert_id_channel_destination_key UNIQUE (alert_id, channel, destination)
deliveries deliveries_alert_id_fkey FOREIGN KEY (alert_id) REFERENCES alerts(id)
deliveries deliveries_pkey PRIMARY KEY (id)
delivery_attempts delivery_attempts_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES deliveries(id)
delivery_attempts delivery_attempts_pkey PRIMARY KEY (id)
document_contents document_contents_pkey PRIMARY KEY (sha256)
document_readings document_readings_document_id_fkey FOREIGN KEY (document_id) REFERENCES documents(id)
document_readings document_readings_pkey PRIMARY KEY (document_id)
documents documents_pkey PRIMARY KEY (id)
documents documents_sha256_fkey FOREIGN KEY (sha256) REFERENCES document_contents(sha256)
fraud_notices fraud_notices_notice_key_key UNIQUE (notice_key)
fraud_notices fraud_notices_pkey PRIMARY KEY (id)
import_certificates import_certificates_number_key UNIQUE (number)
import_certificates import_certificates_pkey PRIMARY KEY (id)
integrity_directory integrity_directory_pkey PRIMARY KEY (nop_operation_id)
integrity_state integrity_state_pkey PRIMARY KEY (key)
job_runs job_runs_job_slot_key UNIQUE (job, slot)
job_runs job_runs_pkey PRIMARY KEY (id)
latest_verifications latest_verifications_pkey PRIMARY KEY (supplier_id)
purchase_checks purchase_checks_id_key UNIQUE (id)
purchase_checks purchase_checks_pkey PRIMARY KEY (seq)
recovery_codes recovery_codes_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id)
recovery_codes recovery_codes_pkey PRIMARY KEY (account_id, code_hash)
registry_revision registry_revision_id_check CHECK ((id = 1))
registry_revision registry_revision_pkey PRIMARY KEY (id)
retention_purges retention_purges_pkey PRIMARY KEY (id)
schema_migrations schema_migrations_pkey PRIMARY KEY (version)
sign_in_failures sign_in_failures_pkey PRIMARY KEY (subject)
status_history status_history_pkey PRIMARY KEY (id)
supplier_tags supplier_tags_pkey PRIMARY KEY (supplier_id, tag_key)
supplier_tags supplier_tags_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES suppliers(id) ON DELETE CASCADE
suppliers suppliers_nop_operation_id_key UNIQUE (nop_operation_id)
suppliers suppliers_pkey PRIMARY KEY (id)
verification_runs verification_runs_pkey PRIMARY KEY (id)
verifications verifications_pkey PRIMARY KEY (id)
web_sessions web_sessions_pkey PRIMARY KEY (id_hash)
webhook_endpoints webhook_endpoints_pkey PRIMARY KEY (id)
-- indexes
CREATE INDEX account_links_account ON public.account_links USING btree (account_id, purpose)
CREATE UNIQUE INDEX account_links_pkey ON public.account_links USING btree (token_hash)
CREATE UNIQUE INDEX accounts_email_key ON public.accounts USING btree (email)
CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id)
CREATE UNIQUE INDEX activity_pkey ON public.activity USING btree (seq)
CREATE INDEX activity_subject ON public.activity USING btree (subject, seq)
CREATE UNIQUE INDEX alerts_alert_key_key ON public.alerts USING btree (alert_key)
CREATE UNIQUE INDEX alerts_pkey ON public.alerts USING btree (id)
CREATE INDEX alerts_supplier ON public.alerts USING btree (supplier_id, kind)
CREATE INDEX alerts_unfanned ON public.alerts USING btree (id) WHERE (fanned_out_at IS NULL)
CREATE UNIQUE INDEX api_keys_key_hash_key ON public.api_keys USING btree (key_hash)
CREATE UNIQUE INDEX api_keys_name_key ON public.api_keys USING btree (name)
CREATE UNIQUE INDEX api_keys_pkey ON public.api_keys USING btree (id)
CREATE UNIQUE INDEX audit_checkpoints_pkey ON public.audit_checkpoints USING btree (kind, seq)
CREATE UNIQUE INDEX audit_heads_pkey ON public.audit_heads USING btree (chain)
CREATE UNIQUE INDEX auth_policy_pkey ON public.auth_policy USING btree (key)
CREATE UNIQUE INDEX certificate_items_pkey ON public.certificate_items USING btree (supplier_id, "position")
CREATE UNIQUE INDEX certificate_request_links_pkey ON public.certificate_request_links USING btree (token_hash)
CREATE INDEX certificate_request_links_supplier ON public.certificate_request_links USING btree (supplier_id)
CREATE UNIQUE INDEX certificate_requests_auto_key_key ON public.certificate_requests USING btree (auto_key)
CREATE INDEX certificate_requests_due ON public.certificate_requests USING btree (next_email_at) WHERE (state = 'open'::text)
CREATE UNIQUE INDEX certificate_requests_open ON public.certificate_requests USING btree (supplier_id, kind) WHERE (state = 'open'::text)
CREATE UNIQUE INDEX certificate_requests_pkey ON public.certificate_requests USING btree (id)
CREATE INDEX certificate_requests_supplier ON public.certificate_requests USING btree (supplier_id, created_at)
CREATE INDEX certificates_governing ON public.certificates USING btree (status_code, COALESCE(valid_to, anniversary_date))
CREATE UNIQUE INDEX certificates_pkey ON public.certificates USING btree (supplier_id)
CREATE INDEX certificates_status ON public.certificates USING btree (status_code)
CREATE UNIQUE INDEX deliveries_alert_id_channel_destination_key ON public.deliveries USING btree (alert_id, channel, destination)
CREATE INDEX deliveries_destination ON public.deliveries USING btree (destination, id)
CREATE INDEX deliveries_due ON public.deliveries USING btree (channel, status, next_attempt_at)
CREATE UNIQUE INDEX deliveries_pkey ON public.deliveries USING btree (id)
CREATE INDEX delivery_attempts_delivery ON public.delivery_attempts USING btree (delivery_id, attempted_at)
CREATE UNIQUE INDEX delivery_attempts_pkey ON public.delivery_attempts USING btree (id)
CREATE UNIQUE INDEX document_contents_pkey ON public.document_contents USING btree (sha256)
CREATE UNIQUE INDEX document_readings_pkey ON public.document_readings USING btree (document_id)
CREATE UNIQUE INDEX documents_pkey ON public.documents USING btree (id)
CREATE INDEX documents_supplier ON public.documents USING btree (supplier_id, uploaded_at)
CREATE INDEX fraud_notices_identifier ON public.fraud_notices USING btree (identifier_key)
CREATE INDEX fraud_notices_name ON public.fraud_notices USING btree (name_key)
CREATE UNIQUE INDEX fraud_notices_notice_key_key ON public.fraud_notices USING btree (notice_key)
CREATE UNIQUE INDEX fraud_notices_pkey ON public.fraud_notices USING btree (id)
CREATE INDEX import_certificates_exporter ON public.import_certificates USING btree (exporter_id, recorded_at)
CREATE UNIQUE INDEX import_certificates_number_key ON public.import_certificates USING btree (number)
CREATE UNIQUE INDEX import_certificates_pkey ON public.import_certificates USING btree (id)
CREATE UNIQUE INDEX integrity_directory_pkey ON public.integrity_directory USING btree (nop_operation_id)
CREATE UNIQUE INDEX integrity_state_pkey ON public.integrity_state USING btree (key)
CREATE UNIQUE INDEX job_runs_job_slot_key ON public.job_runs USING btree (job, slot)
CREATE INDEX job_runs_latest ON public.job_runs USING btree (job, started_at)
CREATE UNIQUE INDEX job_runs_pkey ON public.job_runs USING btree (id)
CREATE UNIQUE INDEX latest_verifications_pkey ON public.latest_verifications USING btree (supplier_id)
CREATE UNIQUE INDEX purchase_checks_id_key ON public.purchase_checks USING btree (id)
CREATE INDEX purchase_checks_import_certificate ON public.purchase_checks USING btree (import_certificate) WHERE (import_certificate IS NOT NULL)
CREATE UNIQUE INDEX purchase_checks_pkey ON public.purchase_checks USING btree (seq)
CREATE INDEX purchase_checks_supplier ON public.purchase_checks USING btree (supplier_id, seq)
CREATE UNIQUE INDEX recovery_codes_pkey ON public.recovery_codes USING btree (account_id, code_hash)
CREATE UNIQUE INDEX registry_revision_pkey ON public.registry_revision USING btree (id)
CREATE UNIQUE INDEX retention_purges_pkey ON public.retention_purges USING btree (id)
CREATE UNIQUE INDEX schema_migrations_pkey ON public.schema_migrations USING btree (version)
CREATE UNIQUE INDEX sign_in_failures_pkey ON public.sign_in_failures USING btree (subject)
CREATE INDEX sign_in_failures_window ON public.sign_in_failures USING btree (window_started_at)
CREATE INDEX status_history_at ON public.status_history USING btree (at)
CREATE UNIQUE INDEX status_history_pkey ON public.status_history USING btree (id)
CREATE INDEX status_history_supplier ON public.status_history USING btree (supplier_id, at)
CREATE INDEX supplier_tags_key ON public.supplier_tags USING btree (tag_key)
CREATE UNIQUE INDEX supplier_tags_pkey ON public.supplier_tags USING btree (supplier_id, tag_key)
CREATE INDEX suppliers_name ON public.suppliers USING btree (name, id)
CREATE UNIQUE INDEX suppliers_nop_operation_id_key ON public.suppliers USING btree (nop_operation_id)
CREATE UNIQUE INDEX suppliers_pkey ON public.suppliers USING btree (id)
CREATE UNIQUE INDEX verification_runs_pkey ON public.verification_runs USING btree (id)
CREATE UNIQUE INDEX verifications_pkey ON public.verifications USING btree (id)
CREATE INDEX verifications_supplier ON public.verifications USING btree (supplier_id, at)
CREATE INDEX web_sessions_account ON public.web_sessions USING btree (account_id)
CREATE INDEX web_sessions_expiry ON public.web_sessions USING btree (expires_at)
CREATE UNIQUE INDEX web_sessions_pkey ON public.web_sessions USING btree (id_hash)
CREATE UNIQUE INDEX webhook_endpoints_pkey ON public.webhook_endpoints USING btree (id)
-- triggers
CREATE TRIGGER activity_no_change BEFORE DELETE OR UPDATE ON public.activity FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER activity_no_truncate BEFORE TRUNCATE ON public.activity FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER audit_checkpoints_no_change BEFORE DELETE OR UPDATE ON public.audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON public.audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON public.audit_heads FOR EACH ROW EXECUTE FUNCTION audit_heads_forward()
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON public.audit_heads FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON public.audit_heads FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER certificate_items_revision AFTER INSERT OR DELETE OR UPDATE ON public.certificate_items FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
CREATE TRIGGER certificates_revision AFTER INSERT OR DELETE OR UPDATE ON public.certificates FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
CREATE TRIGGER document_readings_revision AFTER INSERT OR DELETE OR UPDATE ON public.document_readings FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
CREATE TRIGGER documents_revision AFTER INSERT OR DELETE OR UPDATE ON public.documents FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
CREATE TRIGGER fraud_notices_revision AFTER INSERT OR DELETE OR UPDATE ON public.fraud_notices FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
CREATE TRIGGER latest_verifications_revision AFTER INSERT OR DELETE OR UPDATE ON public.latest_verifications FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
CREATE TRIGGER purchase_checks_no_delete BEFORE DELETE ON public.purchase_checks FOR EACH ROW EXECUTE FUNCTION purchase_checks_purge_only()
CREATE TRIGGER purchase_checks_no_truncate BEFORE TRUNCATE ON public.purchase_checks FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER purchase_checks_no_update BEFORE UPDATE ON public.purchase_checks FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER retention_purges_no_change BEFORE DELETE OR UPDATE ON public.retention_purges FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER retention_purges_no_truncate BEFORE TRUNCATE ON public.retention_purges FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER suppliers_revision AFTER INSERT OR DELETE OR UPDATE ON public.suppliers FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
CREATE TRIGGER verifications_revision AFTER INSERT OR DELETE OR UPDATE ON public.verifications FOR EACH STATEMENT EXECUTE FUNCTION registry_revision_bump()
-- functions
CREATE OR REPLACE FUNCTION public.audit_heads_forward()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW.seq < OLD.seq OR NEW.chain <> OLD.chain THEN
        RAISE EXCEPTION 'the audit chain''s head only moves forward';
    END IF;
    RETURN NEW;
END $function$

CREATE OR REPLACE FUNCTION public.audit_refuse_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION '% on %: the audit record is append-only', TG_OP, TG_TABLE_NAME; END $function$

CREATE OR REPLACE FUNCTION public.purchase_checks_purge_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF OLD.seq <= (SELECT COALESCE(MAX(checks_through_seq), 0) FROM retention_purges) THEN RETURN OLD; END IF;
    RAISE EXCEPTION 'purchase checks are deleted only by the retention purge';
END $function$

CREATE OR REPLACE FUNCTION public.registry_revision_bump()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN UPDATE registry_revision SET value = value + 1; RETURN NULL; END $function$

