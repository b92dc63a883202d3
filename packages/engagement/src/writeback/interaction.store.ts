/**
 * engagement_interactions: one row per interaction resolved to a Plex customer, pending until the
 * activity writer has put it into Plex. The interaction key makes every producer idempotent: a
 * replayed webhook or a report read twice inserts nothing new.
 */
import type { TSqlPool } from "@ml-connector/db";

import type { TActivityKind } from "./activity.format.js";

export type TNewInteraction = {
  interactionKey: string;
  plexCustomerId: string;
  plexCustomerCode: string;
  activityKey: string;
  kind: TActivityKind;
  occurredAt: Date;
  line: string;
  inboxId?: string;
};

export type TPendingInteraction = {
  id: string;
  activityKey: string;
  kind: TActivityKind;
  plexCustomerCode: string;
  occurredAt: Date;
  line: string;
};

/** Inserts interactions; returns how many were new. */
export async function insertInteractions(
  sql: TSqlPool,
  connectionId: string,
  interactions: TNewInteraction[],
): Promise<number> {
  if (interactions.length === 0) return 0;
  // Sorted by key, so concurrent writers take row locks in the same order.
  const sorted = [...interactions].sort((a, b) => (a.interactionKey < b.interactionKey ? -1 : 1));
  const result = await sql.query(
    `INSERT INTO engagement_interactions (connection_id, interaction_key, plex_customer_id,
       plex_customer_code, activity_key, kind, occurred_at, line, inbox_id, status, created_at)
     SELECT $1, item.interaction_key, item.plex_customer_id, item.plex_customer_code,
       item.activity_key, item.kind, item.occurred_at, item.line, item.inbox_id, 'pending', now()
     FROM jsonb_to_recordset($2::jsonb) AS item (interaction_key text, plex_customer_id text,
       plex_customer_code text, activity_key text, kind text, occurred_at timestamptz, line text,
       inbox_id bigint)
     ON CONFLICT (connection_id, interaction_key) DO NOTHING`,
    [
      connectionId,
      JSON.stringify(
        sorted.map((item) => ({
          interaction_key: item.interactionKey,
          plex_customer_id: item.plexCustomerId,
          plex_customer_code: item.plexCustomerCode,
          activity_key: item.activityKey,
          kind: item.kind,
          occurred_at: item.occurredAt.toISOString(),
          line: item.line,
          inbox_id: item.inboxId ?? null,
        })),
      ),
    ],
  );

  return result.rowCount ?? 0;
}

export async function loadPendingInteractions(
  sql: TSqlPool,
  connectionId: string,
  plexCustomerId: string,
  limit: number,
): Promise<TPendingInteraction[]> {
  const result = await sql.query<{
    id: string;
    activity_key: string;
    kind: TActivityKind;
    plex_customer_code: string;
    occurred_at: Date;
    line: string;
  }>(
    `SELECT id::text, activity_key, kind, plex_customer_code, occurred_at, line
     FROM engagement_interactions
     WHERE connection_id = $1 AND plex_customer_id = $2 AND status = 'pending'
     ORDER BY occurred_at, id LIMIT $3`,
    [connectionId, plexCustomerId, limit],
  );

  return result.rows.map((row) => ({
    id: row.id,
    activityKey: row.activity_key,
    kind: row.kind,
    plexCustomerCode: row.plex_customer_code,
    occurredAt: row.occurred_at,
    line: row.line,
  }));
}

export async function markInteractions(
  sql: TSqlPool,
  ids: string[],
  status: "written" | "rejected",
  reason?: string,
): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(
    `UPDATE engagement_interactions SET status = $2::varchar, reason = $3::text,
       written_at = CASE WHEN $2::varchar = 'written' THEN now() ELSE written_at END
     WHERE id = ANY($1::bigint[])`,
    [ids, status, reason ?? null],
  );
}

/** Customers with interactions pending longer than `olderThanMs` (the write-back sweeper). */
export async function customersWithStalePending(
  sql: TSqlPool,
  olderThanMs: number,
  limit: number,
): Promise<{ connectionId: string; plexCustomerId: string }[]> {
  const result = await sql.query<{ connection_id: string; plex_customer_id: string }>(
    `SELECT DISTINCT connection_id, plex_customer_id FROM engagement_interactions
     WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1) LIMIT $2`,
    [olderThanMs / 1_000, limit],
  );

  return result.rows.map((row) => ({
    connectionId: row.connection_id,
    plexCustomerId: row.plex_customer_id,
  }));
}
