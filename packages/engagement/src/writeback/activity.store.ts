/**
 * engagement_activities: the Plex activities the connector owns, one per activity key (campaign,
 * Mandrill message or subscription change, and customer). A row is made when its first
 * interaction is recorded ("new"), marked "creating" just before the POST to Plex and "created"
 * with Plex's activityId after; `comments` always holds the full list last written.
 */
import type { TSqlPool } from "@ml-connector/db";

import type { TActivityKind } from "./activity.format.js";

export type TActivitySeed = {
  activityKey: string;
  plexCustomerId: string;
  plexCustomerCode: string;
  kind: TActivityKind;
  activityName: string;
  description: string;
};

export type TActivityRow = {
  activityKey: string;
  activityName: string;
  description: string | null;
  plexCustomerCode: string;
  plexActivityId: string | null;
  status: "new" | "creating" | "created";
  comments: string[];
};

export async function seedActivities(sql: TSqlPool, connectionId: string, seeds: TActivitySeed[]) {
  if (seeds.length === 0) return;
  const unique = new Map(seeds.map((seed) => [seed.activityKey, seed]));
  const sorted = [...unique.values()].sort((a, b) => (a.activityKey < b.activityKey ? -1 : 1));
  await sql.query(
    `INSERT INTO engagement_activities (connection_id, activity_key, plex_customer_id,
       plex_customer_code, kind, activity_name, description, status, created_at, updated_at)
     SELECT $1, seed.activity_key, seed.plex_customer_id, seed.plex_customer_code, seed.kind,
       seed.activity_name, seed.description, 'new', now(), now()
     FROM jsonb_to_recordset($2::jsonb) AS seed (activity_key text, plex_customer_id text,
       plex_customer_code text, kind text, activity_name text, description text)
     ON CONFLICT (connection_id, activity_key) DO NOTHING`,
    [
      connectionId,
      JSON.stringify(
        sorted.map((seed) => ({
          activity_key: seed.activityKey,
          plex_customer_id: seed.plexCustomerId,
          plex_customer_code: seed.plexCustomerCode,
          kind: seed.kind,
          activity_name: seed.activityName,
          description: seed.description,
        })),
      ),
    ],
  );
}

export async function loadActivity(
  sql: TSqlPool,
  connectionId: string,
  activityKey: string,
): Promise<TActivityRow | undefined> {
  const result = await sql.query<{
    activity_key: string;
    activity_name: string;
    description: string | null;
    plex_customer_code: string;
    plex_activity_id: string | null;
    status: TActivityRow["status"];
    comments: unknown;
  }>(
    `SELECT activity_key, activity_name, description, plex_customer_code, plex_activity_id,
       status, comments
     FROM engagement_activities WHERE connection_id = $1 AND activity_key = $2`,
    [connectionId, activityKey],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;

  return {
    activityKey: row.activity_key,
    activityName: row.activity_name,
    description: row.description,
    plexCustomerCode: row.plex_customer_code,
    plexActivityId: row.plex_activity_id,
    status: row.status,
    comments: Array.isArray(row.comments) ? (row.comments as string[]) : [],
  };
}

export async function markCreating(sql: TSqlPool, connectionId: string, activityKey: string) {
  await sql.query(
    `UPDATE engagement_activities SET status = 'creating', updated_at = now()
     WHERE connection_id = $1 AND activity_key = $2 AND status = 'new'`,
    [connectionId, activityKey],
  );
}

export async function recordWritten(
  sql: TSqlPool,
  connectionId: string,
  activityKey: string,
  plexActivityId: string,
  comments: string[],
) {
  await sql.query(
    `UPDATE engagement_activities SET plex_activity_id = $3, status = 'created',
       comments = $4::jsonb, writes = writes + 1, updated_at = now()
     WHERE connection_id = $1 AND activity_key = $2`,
    [connectionId, activityKey, plexActivityId, JSON.stringify(comments)],
  );
}

/**
 * The comments after adding `lines`: existing ones kept, new ones appended once. Beyond `max`,
 * the oldest give way and the first line says how many are not shown (Plex has no paging of
 * comments, and every PUT carries the whole list).
 */
export function mergeComments(existing: string[], lines: string[], max: number): string[] {
  const summary = /^\(\d+ earlier events not shown\)$/;
  let hidden = 0;
  const kept = existing.filter((line) => {
    const match = summary.exec(line);
    if (match !== null) hidden += Number(/\d+/.exec(line)![0]);

    return match === null;
  });
  const seen = new Set(kept);
  for (const line of lines) {
    if (seen.has(line)) continue;
    seen.add(line);
    kept.push(line);
  }
  if (hidden === 0 && kept.length <= max) return kept;
  const drop = Math.max(0, kept.length - (max - 1));

  return [`(${hidden + drop} earlier events not shown)`, ...kept.slice(drop)];
}
