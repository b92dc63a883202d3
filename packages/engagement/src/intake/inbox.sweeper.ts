/**
 * The safety net behind the dispatcher: inbox rows still pending a while after they arrived (Redis
 * was down when they were stored, or their job was lost) are queued again. Processing is
 * idempotent, so a row queued twice is processed once in effect.
 */
import type { TPrisma } from "@ml-connector/db";
import { bulkSql } from "@ml-connector/db";
import type { TProducer } from "@ml-connector/queues";

import { jobsFor } from "./inbox.dispatcher.js";

export type TSweepOptions = {
  /** Rows younger than this are left to the dispatcher. */
  olderThanMs: number;
  limit?: number;
};

export async function requeuePendingInbox(
  prisma: TPrisma,
  producer: TProducer<"webhookEvent">,
  options: TSweepOptions,
): Promise<number> {
  const result = await bulkSql(prisma).query<{ id: string; connection_id: string }>(
    `SELECT id::text, connection_id FROM webhook_inbox
     WHERE status = 'pending' AND received_at < now() - make_interval(secs => $1)
     ORDER BY id LIMIT $2`,
    [options.olderThanMs / 1_000, options.limit ?? 10_000],
  );
  if (result.rows.length === 0) return 0;
  // A new id per sweep, so a finished job with the old id does not swallow the re-queue.
  const round = `sweep${Math.floor(Date.now() / 1_000)}`;
  const rows = result.rows.map((row) => ({ id: row.id, connectionId: row.connection_id }));
  await producer.addBulk(jobsFor(rows, round));

  return rows.length;
}
