/**
 * sync_records: the durable state of every source record. A window's records are written in one
 * statement per chunk that inserts new rows and updates rows whose content hash changed, and
 * returns exactly those — an unchanged record costs no further work and no Mailchimp call.
 */
import { Prisma, type TPrisma } from "@ml-connector/db";
import type { TSyncEntity } from "@ml-connector/queues";

export type TSourceRecord = {
  externalId: string;
  parentId?: string | null;
  contentHash: string;
  sourceData: unknown;
  sourceModifiedAt?: Date | null;
};

export type TStoredRecord = {
  externalId: string;
  parentId: string | null;
  status: string;
  contentHash: string | null;
  sourceData: unknown;
  attempts: number;
};

const CHUNK = 1_000;

/** Stores records as "received"; returns the external ids that are new or changed. */
export async function upsertSourceRecords(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  records: TSourceRecord[],
): Promise<string[]> {
  const changed: string[] = [];
  for (let start = 0; start < records.length; start += CHUNK) {
    const chunk = records.slice(start, start + CHUNK);
    const values = chunk.map(
      (record) =>
        Prisma.sql`(${connectionId}, ${entity}, ${record.externalId}, ${record.parentId ?? null},
          ${record.contentHash}, 'received', ${JSON.stringify(record.sourceData)}::jsonb,
          ${record.sourceModifiedAt ?? null}, now(), now())`,
    );
    const rows = await prisma.$queryRaw<{ external_id: string }[]>`
      INSERT INTO sync_records (connection_id, entity, external_id, parent_id, content_hash,
        status, source_data, source_modified_at, created_at, updated_at)
      VALUES ${Prisma.join(values)}
      ON CONFLICT (connection_id, entity, external_id) DO UPDATE SET
        parent_id = EXCLUDED.parent_id,
        content_hash = EXCLUDED.content_hash,
        status = 'received',
        reason = NULL,
        source_data = EXCLUDED.source_data,
        source_modified_at = EXCLUDED.source_modified_at,
        updated_at = now()
      WHERE sync_records.content_hash IS DISTINCT FROM EXCLUDED.content_hash
      RETURNING external_id`;
    for (const row of rows) changed.push(row.external_id);
  }

  return changed;
}

export async function loadRecords(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  externalIds: string[],
): Promise<TStoredRecord[]> {
  if (externalIds.length === 0) return [];

  return prisma.syncRecord.findMany({
    where: { connectionId, entity, externalId: { in: externalIds } },
    select: {
      externalId: true,
      parentId: true,
      status: true,
      contentHash: true,
      sourceData: true,
      attempts: true,
    },
  });
}

/** Records of `entity` whose parent is one of `parentIds` (a customer's contacts). */
export async function loadChildren(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  parentIds: string[],
): Promise<TStoredRecord[]> {
  if (parentIds.length === 0) return [];

  return prisma.syncRecord.findMany({
    where: { connectionId, entity, parentId: { in: parentIds } },
    select: {
      externalId: true,
      parentId: true,
      status: true,
      contentHash: true,
      sourceData: true,
      attempts: true,
    },
  });
}

/** Every stored record of an entity, id and hash only (for full-pull diffs). */
export async function loadHashes(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
): Promise<Map<string, string | null>> {
  const rows = await prisma.syncRecord.findMany({
    where: { connectionId, entity },
    select: { externalId: true, contentHash: true },
  });

  return new Map(rows.map((row) => [row.externalId, row.contentHash]));
}

export type TOutcome = {
  externalId: string;
  status: "mapped" | "delivered" | "rejected" | "failed";
  reason?: string;
};

/** Records the outcome of each record (one statement per chunk); attempts count every try. */
export async function markOutcomes(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  outcomes: TOutcome[],
): Promise<void> {
  for (let start = 0; start < outcomes.length; start += CHUNK) {
    const rows = outcomes
      .slice(start, start + CHUNK)
      .map(
        (outcome) =>
          Prisma.sql`(${outcome.externalId}, ${outcome.status}, ${outcome.reason ?? null})`,
      );
    await prisma.$executeRaw`
      UPDATE sync_records AS record
      SET status = outcome.status,
          reason = outcome.reason,
          attempts = record.attempts + 1,
          delivered_at = CASE WHEN outcome.status = 'delivered' THEN now() ELSE record.delivered_at END,
          updated_at = now()
      FROM (VALUES ${Prisma.join(rows)}) AS outcome (external_id, status, reason)
      WHERE record.connection_id = ${connectionId} AND record.entity = ${entity}
        AND record.external_id = outcome.external_id`;
  }
}
