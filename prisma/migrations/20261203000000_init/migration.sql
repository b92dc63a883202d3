-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "connections" (
    "id" VARCHAR(64) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "mode" VARCHAR(16) NOT NULL DEFAULT 'sandbox',
    "plex_base_url" TEXT NOT NULL,
    "plex_tenant_id" VARCHAR(64),
    "plex_pcn" VARCHAR(32),
    "plex_auth_scheme" VARCHAR(32) NOT NULL DEFAULT 'api_key',
    "mailchimp_base_url" TEXT,
    "mailchimp_dc" VARCHAR(16),
    "mailchimp_auth_scheme" VARCHAR(16) NOT NULL DEFAULT 'api_key',
    "mailchimp_list_id" VARCHAR(64),
    "mailchimp_store_id" VARCHAR(64),
    "timezone" VARCHAR(64) NOT NULL DEFAULT 'UTC',
    "schedules" JSONB NOT NULL DEFAULT '{}',
    "options" JSONB NOT NULL DEFAULT '{}',
    "status" VARCHAR(16) NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credentials" (
    "id" VARCHAR(64) NOT NULL,
    "connection_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(48) NOT NULL,
    "master_key_version" INTEGER NOT NULL,
    "wrapped_data_key" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_cursors" (
    "connection_id" VARCHAR(64) NOT NULL,
    "stream" VARCHAR(32) NOT NULL,
    "watermark" TIMESTAMPTZ(3),
    "boundary_ids" JSONB NOT NULL DEFAULT '[]',
    "last_run_at" TIMESTAMPTZ(3),
    "last_run_status" VARCHAR(16),
    "last_run_stats" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_cursors_pkey" PRIMARY KEY ("connection_id","stream")
);

-- CreateTable
CREATE TABLE "sync_records" (
    "id" BIGSERIAL NOT NULL,
    "connection_id" VARCHAR(64) NOT NULL,
    "entity" VARCHAR(32) NOT NULL,
    "external_id" VARCHAR(128) NOT NULL,
    "content_hash" VARCHAR(64),
    "status" VARCHAR(16) NOT NULL,
    "source_data" JSONB,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "source_modified_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_links" (
    "id" BIGSERIAL NOT NULL,
    "connection_id" VARCHAR(64) NOT NULL,
    "plex_customer_id" VARCHAR(64) NOT NULL,
    "plex_customer_code" VARCHAR(64),
    "plex_contact_id" VARCHAR(64),
    "email" VARCHAR(320),
    "subscriber_hash" VARCHAR(32),
    "phone" VARCHAR(32),
    "mailchimp_customer_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "identity_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "connection_id" VARCHAR(64) NOT NULL,
    "entity" VARCHAR(32) NOT NULL,
    "external_id" VARCHAR(128) NOT NULL,
    "stage" VARCHAR(16) NOT NULL,
    "attempt" INTEGER,
    "job_id" VARCHAR(200),
    "detail" JSONB NOT NULL DEFAULT '{}',
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_inbox" (
    "id" BIGSERIAL NOT NULL,
    "connection_id" VARCHAR(64) NOT NULL,
    "source" VARCHAR(16) NOT NULL,
    "content_key" VARCHAR(64) NOT NULL,
    "event_type" VARCHAR(32) NOT NULL,
    "fired_at" TIMESTAMPTZ(3),
    "payload" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_inbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credentials_connection_id_kind_key" ON "credentials"("connection_id", "kind");

-- CreateIndex
CREATE INDEX "sync_records_connection_id_status_updated_at_idx" ON "sync_records"("connection_id", "status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "sync_records_connection_id_entity_external_id_key" ON "sync_records"("connection_id", "entity", "external_id");

-- CreateIndex
CREATE INDEX "identity_links_connection_id_plex_customer_id_idx" ON "identity_links"("connection_id", "plex_customer_id");

-- CreateIndex
CREATE INDEX "identity_links_connection_id_phone_idx" ON "identity_links"("connection_id", "phone");

-- CreateIndex
CREATE UNIQUE INDEX "identity_links_connection_id_subscriber_hash_key" ON "identity_links"("connection_id", "subscriber_hash");

-- CreateIndex
CREATE INDEX "audit_events_connection_id_entity_external_id_at_idx" ON "audit_events"("connection_id", "entity", "external_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_connection_id_stage_at_idx" ON "audit_events"("connection_id", "stage", "at");

-- CreateIndex
CREATE INDEX "webhook_inbox_status_received_at_idx" ON "webhook_inbox"("status", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_inbox_connection_id_content_key_key" ON "webhook_inbox"("connection_id", "content_key");

-- AddForeignKey
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_links" ADD CONSTRAINT "identity_links_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_inbox" ADD CONSTRAINT "webhook_inbox_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The audit trail is append-only: history is evidence, so the database itself refuses edits.
-- Rows go only when their connection is deleted (ON DELETE CASCADE runs with the session flag set).
-- The function body is an E'' string with each semicolon written as \x3B: Prisma's WebAssembly
-- engine splits a migration at every semicolon, even inside quotes.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' AND current_setting(''ml_connector.allow_audit_delete'', true) = ''on'' THEN
    RETURN OLD\x3B
  END IF\x3B
  RAISE EXCEPTION ''audit_events is append-only (% refused)'', TG_OP\x3B
END
';

CREATE TRIGGER "audit_events_no_update"
  BEFORE UPDATE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

CREATE TRIGGER "audit_events_no_delete"
  BEFORE DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
