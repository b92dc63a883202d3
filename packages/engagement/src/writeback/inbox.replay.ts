/**
 * Replay: an operator sends stored deliveries through processing again — after a customer was
 * linked that was not before, or after Plex refused an activity for a reason since fixed. The
 * rows go back to pending (with a "replayed" audit row) and are queued; interactions already
 * written are not written twice (their keys already exist), refused ones are tried again.
 */
import { withBulkTransaction, type TPrisma } from "@ml-connector/db";
import type { TProducer } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";
import { appendAudit } from "@ml-connector/sync";

import { jobsFor } from "../intake/inbox.dispatcher.js";
import { AUDIT_ENTITY } from "./inbox.processor.js";

export type TReplayResult = { rows: number; interactions: number };

export async function replayInbox(
  prisma: TPrisma,
  producer: TProducer<"webhookEvent">,
  connectionId: string,
  inboxIds: string[],
  log: Logger,
): Promise<TReplayResult> {
  const result = await withBulkTransaction(prisma, async (sql) => {
    const rows = await sql.query<{ id: string }>(
      `UPDATE webhook_inbox SET status = 'pending', reason = NULL
       WHERE connection_id = $1 AND id = ANY($2::bigint[]) AND status IN ('processed', 'rejected')
       RETURNING id::text`,
      [connectionId, inboxIds],
    );
    const interactions = await sql.query(
      `UPDATE engagement_interactions SET status = 'pending', reason = NULL
       WHERE connection_id = $1 AND inbox_id = ANY($2::bigint[]) AND status = 'rejected'`,
      [connectionId, inboxIds],
    );
    await appendAudit(
      sql,
      connectionId,
      rows.rows.map((row) => ({
        entity: AUDIT_ENTITY,
        externalId: `inbox-${row.id}`,
        stage: "replayed" as const,
      })),
      log,
    );

    return { ids: rows.rows.map((row) => row.id), interactions: interactions.rowCount ?? 0 };
  });
  if (result.ids.length > 0) {
    await producer.addBulk(
      jobsFor(
        result.ids.map((id) => ({ id, connectionId })),
        `replay${Date.now()}`,
      ),
    );
  }
  log.info(
    { connectionId, rows: result.ids.length, interactions: result.interactions },
    "webhook deliveries replayed",
  );

  return { rows: result.ids.length, interactions: result.interactions };
}
