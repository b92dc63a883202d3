/**
 * plex_order_records: the order side of Plex as last read (sales orders, order lines, line
 * prices, releases, shippers, shipper lines, AR invoices), each with the link tags of
 * order-links.ts. Writes go in chunks of one JSON document each (as in record.store.ts) and
 * return only the records whose content changed. A changed order is marked `pending`: its
 * e-commerce order must be rebuilt (order.assembler.ts).
 */
import type { TSqlPool } from "@ml-connector/db";

import type { TOrderSideKind } from "./order-links.js";

export type TOrderSideRecord = {
  externalId: string;
  links: string[];
  contentHash: string;
  data: unknown;
  modifiedAt?: Date | null;
};

export type TStoredOrderSide = {
  kind: TOrderSideKind;
  externalId: string;
  links: string[];
  data: Record<string, unknown>;
  modifiedAt: Date | null;
};

const CHUNK = 2_000;

/** Stores records of one kind; returns the ids that are new or changed. */
export async function upsertOrderSide(
  sql: TSqlPool,
  connectionId: string,
  kind: TOrderSideKind,
  records: TOrderSideRecord[],
): Promise<string[]> {
  const changed: string[] = [];
  // Sorted, so concurrent polls lock shared rows in the same order and never deadlock.
  const sorted = [...records].sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
  for (let start = 0; start < sorted.length; start += CHUNK) {
    const document = JSON.stringify(
      sorted.slice(start, start + CHUNK).map((record) => ({
        external_id: record.externalId,
        links: record.links,
        content_hash: record.contentHash,
        data: record.data,
        modified_at: record.modifiedAt?.toISOString() ?? null,
      })),
    );
    const { rows } = await sql.query<{ external_id: string }>(
      `INSERT INTO plex_order_records (connection_id, kind, external_id, links, content_hash,
         data, modified_at, pending, updated_at)
       SELECT $1, $2, incoming.external_id, incoming.links, incoming.content_hash, incoming.data,
         incoming.modified_at, $4, now()
       FROM jsonb_to_recordset($3::jsonb) AS incoming (external_id text, links text[],
         content_hash text, data jsonb, modified_at timestamptz)
       ON CONFLICT (connection_id, kind, external_id) DO UPDATE SET
         links = EXCLUDED.links,
         content_hash = EXCLUDED.content_hash,
         data = EXCLUDED.data,
         modified_at = EXCLUDED.modified_at,
         pending = plex_order_records.pending OR EXCLUDED.pending,
         updated_at = now()
       WHERE plex_order_records.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING external_id`,
      [connectionId, kind, document, kind === "order"],
    );
    for (const row of rows) changed.push(row.external_id);
  }

  return changed;
}

const COLUMNS = `kind, external_id AS "externalId", links, data, modified_at AS "modifiedAt"`;

/** Records of `kind` carrying any of `tags`. */
export async function findByLinks(
  sql: TSqlPool,
  connectionId: string,
  kind: TOrderSideKind,
  tags: string[],
): Promise<TStoredOrderSide[]> {
  if (tags.length === 0) return [];
  const { rows } = await sql.query<TStoredOrderSide>(
    `SELECT ${COLUMNS} FROM plex_order_records
     WHERE links && $3::text[] AND connection_id = $1 AND kind = $2`,
    [connectionId, kind, [...new Set(tags)]],
  );

  return rows;
}

export async function findByIds(
  sql: TSqlPool,
  connectionId: string,
  kind: TOrderSideKind,
  ids: string[],
): Promise<TStoredOrderSide[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql.query<TStoredOrderSide>(
    `SELECT ${COLUMNS} FROM plex_order_records
     WHERE connection_id = $1 AND kind = $2 AND external_id = ANY($3::text[])`,
    [connectionId, kind, [...new Set(ids)]],
  );

  return rows;
}

/** Marks orders for rebuilding; returns how many exist. */
export async function markOrdersPending(
  sql: TSqlPool,
  connectionId: string,
  orderIds: string[],
): Promise<number> {
  if (orderIds.length === 0) return 0;
  const sorted = [...new Set(orderIds)].sort();
  const { rowCount } = await sql.query(
    `UPDATE plex_order_records SET pending = true, updated_at = now()
     WHERE connection_id = $1 AND kind = 'order' AND external_id = ANY($2::text[])`,
    [connectionId, sorted],
  );

  return rowCount ?? 0;
}

/** Clears `pending` on orders not marked again since `builtFrom` (new evidence keeps it set). */
export async function clearPending(
  sql: TSqlPool,
  connectionId: string,
  orderIds: string[],
  builtFrom: Date,
) {
  if (orderIds.length === 0) return;
  await sql.query(
    `UPDATE plex_order_records SET pending = false
     WHERE connection_id = $1 AND kind = 'order' AND external_id = ANY($2::text[])
       AND updated_at <= $3`,
    [connectionId, [...new Set(orderIds)].sort(), builtFrom.toISOString()],
  );
}

/**
 * Pending orders modified at or before `readyUntil` (orders always carry a modified date), after
 * the keyset `after`, oldest first.
 */
export async function readyOrders(
  sql: TSqlPool,
  connectionId: string,
  readyUntil: Date | undefined,
  after: { modifiedAt: Date; externalId: string } | undefined,
  limit: number,
): Promise<TStoredOrderSide[]> {
  const { rows } = await sql.query<TStoredOrderSide>(
    `SELECT ${COLUMNS} FROM plex_order_records
     WHERE connection_id = $1 AND kind = 'order' AND pending
       AND ($2::timestamptz IS NULL OR modified_at <= $2::timestamptz)
       AND ($3::timestamptz IS NULL OR (modified_at, external_id) > ($3::timestamptz, $4::text))
     ORDER BY modified_at, external_id
     LIMIT $5`,
    [
      connectionId,
      readyUntil?.toISOString() ?? null,
      after?.modifiedAt.toISOString() ?? null,
      after?.externalId ?? null,
      limit,
    ],
  );

  return rows;
}
