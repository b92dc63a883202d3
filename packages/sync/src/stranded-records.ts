/**
 * Records left between two states with nobody working on them. A record is "received" until a
 * poll hands it on and "queued" until a write job settles it; a process killed between the two
 * steps, or a write job that ran out of attempts (a Mailchimp outage longer than its backoff),
 * leaves it there. Plex sends it again only when it changes again, so without this the change
 * would wait, perhaps for ever.
 *
 * The caller decides when nothing can still be working on such records (the apps sweep only
 * while the queues are idle); this module finds them and hands them on again, with a trail.
 */
import { bulkSql, type TPrisma } from "@ml-connector/db";
import type { TSyncEntity } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";

import { appendAudit } from "./audit.writer.js";

/** Entities that travel on their own; contacts go with their customer. */
const SWEPT: TSyncEntity[] = ["customer", "product", "order"];

export type TStrandedSweep = {
  /** Records handed on again, by connection and entity ("conn-1/customer": 12). */
  handedOn: Record<string, number>;
  total: number;
};

export async function handOnStranded(
  prisma: TPrisma,
  options: {
    olderThan: Date;
    /** At most this many records in one sweep; the rest wait for the next one. */
    limit: number;
    enqueue: (connectionId: string, entity: TSyncEntity, ids: string[]) => Promise<void>;
    log: Logger;
  },
): Promise<TStrandedSweep> {
  const sql = bulkSql(prisma);
  const { rows } = await sql.query<{ connection_id: string; entity: TSyncEntity; ids: string[] }>(
    `SELECT stranded.connection_id, stranded.entity, array_agg(stranded.external_id) AS ids
     FROM (
       SELECT record.connection_id, record.entity, record.external_id
       FROM sync_records record JOIN connections connection ON connection.id = record.connection_id
       WHERE record.status IN ('received', 'queued') AND record.entity = ANY($1::text[])
         AND record.updated_at < $2 AND connection.status = 'active'
       ORDER BY record.updated_at
       LIMIT $3
     ) stranded
     GROUP BY stranded.connection_id, stranded.entity`,
    [SWEPT, options.olderThan, options.limit],
  );

  const handedOn: Record<string, number> = {};
  let total = 0;
  for (const group of rows) {
    const { connection_id: connectionId, entity, ids } = group;
    await options.enqueue(connectionId, entity, ids);
    // Queued now, and its age starts again: a sweep never re-sends what it just sent.
    await sql.query(
      `UPDATE sync_records SET status = 'queued', updated_at = now()
       WHERE connection_id = $1 AND entity = $2 AND external_id = ANY($3::text[])
         AND status IN ('received', 'queued')`,
      [connectionId, entity, ids],
    );
    await appendAudit(
      prisma,
      connectionId,
      ids.map((externalId) => ({
        entity,
        externalId,
        stage: "replayed" as const,
        reason: "handed on again: no job was left working on it (a worker stopped mid-way)",
        detail: { trigger: "stranded-sweep" },
      })),
      options.log,
    );
    handedOn[`${connectionId}/${entity}`] = ids.length;
    total += ids.length;
  }

  return { handedOn, total };
}
