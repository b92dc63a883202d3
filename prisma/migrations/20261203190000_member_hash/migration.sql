-- AlterTable
ALTER TABLE "identity_links" ADD COLUMN     "member_hash" VARCHAR(64);

