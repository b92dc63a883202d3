/**
 * Replay: runs records again through the current mapping — after a mapping fix, or after bad data
 * was corrected in Plex. Customers are first read again from Plex (GET /mdm/v1/customers/{id}),
 * so a correction made there is picked up at once, without waiting for the next poll; a record
 * Plex no longer has is replayed from its last known data. Every replayed record gets a
 * "replayed" audit row and goes to the writer with replay set.
 */
import type { TConnectionView } from "@ml-connector/connections";
import { bulkSql, type TPrisma } from "@ml-connector/db";
import { contentHash } from "@ml-connector/mappers";
import { PlexApiError, ZPlexCustomer, type PlexConnectClient } from "@ml-connector/plex-client";
import type { TSyncEntity } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";

import { appendAudit } from "./audit.writer.js";

export type TReplaySelection = {
  entity: TSyncEntity;
  externalIds?: string[];
  /** Replay every record in this state (rejected or failed), up to `limit`. */
  status?: "rejected" | "failed";
  limit?: number;
};

export type TReplayContext = {
  connection: TConnectionView;
  prisma: TPrisma;
  log: Logger;
  /** When given, customers are re-read from Plex before they are replayed. */
  plex?: PlexConnectClient;
  enqueue: (entity: TSyncEntity, externalIds: string[]) => Promise<void>;
  operator?: string;
};

/** Re-reads from Plex at most this many records one by one (each costs a call). */
const REFRESH_LIMIT = 50;

export async function replayRecords(
  ctx: TReplayContext,
  selection: TReplaySelection,
): Promise<{ queued: number; refreshed: number }> {
  const { connection, prisma } = ctx;
  const sql = bulkSql(prisma);
  const { rows } = await sql.query<{ external_id: string }>(
    `SELECT external_id FROM sync_records
     WHERE connection_id = $1 AND entity = $2
       AND ($3::text[] IS NULL OR external_id = ANY($3::text[]))
       AND ($4::text IS NULL OR status = $4)
     ORDER BY external_id LIMIT $5`,
    [
      connection.id,
      selection.entity,
      selection.externalIds ?? null,
      selection.status ?? null,
      Math.min(selection.limit ?? 5_000, 50_000),
    ],
  );
  const ids = rows.map((row) => row.external_id);
  if (ids.length === 0) return { queued: 0, refreshed: 0 };

  let refreshed = 0;
  if (selection.entity === "customer" && ctx.plex !== undefined && ids.length <= REFRESH_LIMIT) {
    for (const id of ids) {
      if (await refreshCustomer(ctx, ctx.plex, id)) refreshed += 1;
    }
  }

  await sql.query(
    `UPDATE sync_records SET status = 'received', reason = NULL, updated_at = now()
     WHERE connection_id = $1 AND entity = $2 AND external_id = ANY($3::text[])`,
    [connection.id, selection.entity, ids],
  );
  await appendAudit(
    prisma,
    connection.id,
    ids.map((externalId) => ({
      entity: selection.entity,
      externalId,
      stage: "replayed" as const,
      detail: { operator: ctx.operator ?? null, refreshedFromPlex: refreshed > 0 },
    })),
    ctx.log,
  );
  await ctx.enqueue(selection.entity, ids);
  await sql.query(
    `UPDATE sync_records SET status = 'queued', updated_at = now()
     WHERE connection_id = $1 AND entity = $2 AND status = 'received' AND external_id = ANY($3::text[])`,
    [connection.id, selection.entity, ids],
  );
  ctx.log.info(
    { connectionId: connection.id, entity: selection.entity, records: ids.length, refreshed },
    "records replayed",
  );

  return { queued: ids.length, refreshed };
}

async function refreshCustomer(ctx: TReplayContext, plex: PlexConnectClient, id: string) {
  try {
    const parsed = ZPlexCustomer.safeParse(
      await plex.get("/mdm/v1/customers/{id}", { pathParams: { id } }),
    );
    if (!parsed.success) return false;
    const customer = parsed.data;
    await bulkSql(ctx.prisma).query(
      `UPDATE sync_records SET source_data = jsonb_set(source_data, '{customer}', $4::jsonb),
         content_hash = $5, updated_at = now()
       WHERE connection_id = $1 AND entity = $2 AND external_id = $3`,
      [ctx.connection.id, "customer", id, JSON.stringify(customer), contentHash({ customer })],
    );

    return true;
  } catch (err) {
    if (err instanceof PlexApiError && err.status === 404) return false;
    throw err;
  }
}
