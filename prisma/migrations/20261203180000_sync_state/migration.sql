-- AlterTable
ALTER TABLE "sync_records" ADD COLUMN     "parent_id" VARCHAR(128);

-- AlterTable
ALTER TABLE "identity_links" ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "managed_tags" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "member_status" VARCHAR(16);

-- CreateIndex
CREATE INDEX "sync_records_connection_id_entity_parent_id_idx" ON "sync_records"("connection_id", "entity", "parent_id");

