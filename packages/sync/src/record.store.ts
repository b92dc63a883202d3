/**
 * sync_records: the durable state of every source record. A window's records are written in one
 * statement per chunk that inserts new rows and updates rows whose content hash changed, and
 * returns exactly those — an unchanged record costs no further work and no Mailchimp call.
 */
import { bulkSql, type TPrisma, type TSqlPool } from "@ml-connector/db";
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

const CHUNK = 2_000;

/**
 * Stores records as "received"; returns the external ids that are new or changed. A chunk of
 * rows travels as one JSON document that Postgres unpacks itself (jsonb_to_recordset): one
 * parameter, parsed in C, instead of thousands of values escaped one by one.
 */
export async function upsertSourceRecords(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  records: TSourceRecord[],
): Promise<string[]> {
  const changed: string[] = [];
  const sorted = [...records].sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
  for (let start = 0; start < sorted.length; start += CHUNK) {
    const document = JSON.stringify(
      sorted.slice(start, start + CHUNK).map((record) => ({
        external_id: record.externalId,
        parent_id: record.parentId ?? null,
        content_hash: record.contentHash,
        source_data: record.sourceData,
        source_modified_at: record.sourceModifiedAt?.toISOString() ?? null,
      })),
    );
    const { rows } = await bulkSql(prisma).query<{ external_id: string }>(
      `INSERT INTO sync_records (connection_id, entity, external_id, parent_id, content_hash,
        status, source_data, source_modified_at, created_at, updated_at)
      SELECT $1, $2, incoming.external_id, incoming.parent_id,
        incoming.content_hash, 'received', incoming.source_data, incoming.source_modified_at,
        now(), now()
      FROM jsonb_to_recordset($3::jsonb) AS incoming (external_id text, parent_id text,
        content_hash text, source_data jsonb, source_modified_at timestamptz)
      ON CONFLICT (connection_id, entity, external_id) DO UPDATE SET
        parent_id = EXCLUDED.parent_id,
        content_hash = EXCLUDED.content_hash,
        status = 'received',
        reason = NULL,
        source_data = EXCLUDED.source_data,
        source_modified_at = EXCLUDED.source_modified_at,
        updated_at = now()
      WHERE sync_records.content_hash IS DISTINCT FROM EXCLUDED.content_hash
      RETURNING external_id`,
      [connectionId, entity, document],
    );
    for (const row of rows) changed.push(row.external_id);
  }

  return changed;
}

const STORED_COLUMNS = `external_id AS "externalId", parent_id AS "parentId", status,
  content_hash AS "contentHash", source_data AS "sourceData", attempts`;

export async function loadRecords(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  externalIds: string[],
): Promise<TStoredRecord[]> {
  if (externalIds.length === 0) return [];
  const { rows } = await bulkSql(prisma).query<TStoredRecord>(
    `SELECT ${STORED_COLUMNS} FROM sync_records
     WHERE connection_id = $1 AND entity = $2 AND external_id = ANY($3::text[])`,
    [connectionId, entity, externalIds],
  );

  return rows;
}

/** Records of `entity` whose parent is one of `parentIds` (a customer's contacts). */
export async function loadChildren(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  parentIds: string[],
): Promise<TStoredRecord[]> {
  if (parentIds.length === 0) return [];
  const { rows } = await bulkSql(prisma).query<TStoredRecord>(
    `SELECT ${STORED_COLUMNS} FROM sync_records
     WHERE connection_id = $1 AND entity = $2 AND parent_id = ANY($3::text[])`,
    [connectionId, entity, parentIds],
  );

  return rows;
}

/** Every stored record of an entity: id, hash and status (for full-pull diffs). */
export async function loadKnownRecords(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
): Promise<Map<string, { contentHash: string | null; status: string }>> {
  const { rows } = await bulkSql(prisma).query<{
    external_id: string;
    content_hash: string | null;
    status: string;
  }>(
    `SELECT external_id, content_hash, status FROM sync_records
     WHERE connection_id = $1 AND entity = $2`,
    [connectionId, entity],
  );

  return new Map(
    rows.map((row) => [row.external_id, { contentHash: row.content_hash, status: row.status }]),
  );
}

export type TOutcome = {
  externalId: string;
  status: "mapped" | "delivered" | "rejected" | "failed";
  reason?: string;
};

/** Records the outcome of each record (one statement per chunk); attempts count every try. */
export async function markOutcomes(
  sql: TSqlPool,
  connectionId: string,
  entity: TSyncEntity,
  outcomes: TOutcome[],
): Promise<void> {
  // Sorted, so concurrent writers lock shared rows in the same order and never deadlock.
  const sorted = [...outcomes].sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
  for (let start = 0; start < sorted.length; start += CHUNK) {
    const document = JSON.stringify(
      sorted.slice(start, start + CHUNK).map((outcome) => ({
        external_id: outcome.externalId,
        status: outcome.status,
        reason: outcome.reason ?? null,
      })),
    );
    await sql.query(
      `UPDATE sync_records AS record
      SET status = outcome.status,
          reason = outcome.reason,
          attempts = record.attempts + 1,
          delivered_at = CASE WHEN outcome.status = 'delivered' THEN now()
                              ELSE record.delivered_at END,
          updated_at = now()
      FROM jsonb_to_recordset($3::jsonb) AS outcome (external_id text, status text,
        reason text)
      WHERE record.connection_id = $1 AND record.entity = $2
        AND record.external_id = outcome.external_id`,
      [connectionId, entity, document],
    );
  }
}
