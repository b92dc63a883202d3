-- CreateTable
CREATE TABLE "engagement_campaigns" (
    "connection_id" VARCHAR(64) NOT NULL,
    "campaign_id" VARCHAR(64) NOT NULL,
    "list_id" VARCHAR(64),
    "subject" VARCHAR(300),
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "activity_cursor" TIMESTAMPTZ(3),
    "rounds_done" INTEGER NOT NULL DEFAULT 0,
    "status" VARCHAR(16) NOT NULL DEFAULT 'collecting',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engagement_campaigns_pkey" PRIMARY KEY ("connection_id","campaign_id")
);

-- CreateTable
CREATE TABLE "engagement_interactions" (
    "id" BIGSERIAL NOT NULL,
    "connection_id" VARCHAR(64) NOT NULL,
    "interaction_key" VARCHAR(64) NOT NULL,
    "plex_customer_id" VARCHAR(64) NOT NULL,
    "plex_customer_code" VARCHAR(64) NOT NULL,
    "activity_key" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "line" TEXT NOT NULL,
    "inbox_id" BIGINT,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "written_at" TIMESTAMPTZ(3),

    CONSTRAINT "engagement_interactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "engagement_activities" (
    "connection_id" VARCHAR(64) NOT NULL,
    "activity_key" VARCHAR(200) NOT NULL,
    "plex_customer_id" VARCHAR(64) NOT NULL,
    "plex_customer_code" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "activity_name" VARCHAR(200) NOT NULL,
    "description" TEXT,
    "plex_activity_id" VARCHAR(64),
    "status" VARCHAR(16) NOT NULL DEFAULT 'new',
    "comments" JSONB NOT NULL DEFAULT '[]',
    "writes" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engagement_activities_pkey" PRIMARY KEY ("connection_id","activity_key")
);

-- CreateIndex
CREATE INDEX "engagement_interactions_connection_id_plex_customer_id_stat_idx" ON "engagement_interactions"("connection_id", "plex_customer_id", "status");

-- CreateIndex
CREATE INDEX "engagement_interactions_status_created_at_idx" ON "engagement_interactions"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "engagement_interactions_connection_id_interaction_key_key" ON "engagement_interactions"("connection_id", "interaction_key");

-- CreateIndex
CREATE INDEX "engagement_activities_connection_id_plex_customer_id_idx" ON "engagement_activities"("connection_id", "plex_customer_id");

-- AddForeignKey
ALTER TABLE "engagement_campaigns" ADD CONSTRAINT "engagement_campaigns_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "engagement_interactions" ADD CONSTRAINT "engagement_interactions_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "engagement_activities" ADD CONSTRAINT "engagement_activities_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

