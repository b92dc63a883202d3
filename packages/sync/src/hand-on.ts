/**
 * Hands stored records on to the writer. Records of the window that are still "received" — new
 * or changed now, or left over by a poll that crashed before its jobs were queued — are put on
 * the queue and marked "queued". A crash between the two steps queues them again next time;
 * the writer is idempotent, so that costs a repeat, never a loss.
 */
import { bulkSql, type TPrisma } from "@ml-connector/db";
import type { TSyncEntity } from "@ml-connector/queues";

export async function handOnReceived(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  externalIds: string[],
  enqueue: (entity: TSyncEntity, ids: string[]) => Promise<void>,
): Promise<number> {
  if (externalIds.length === 0) return 0;
  const sql = bulkSql(prisma);
  const pending = await sql.query<{ external_id: string }>(
    `SELECT external_id FROM sync_records
     WHERE connection_id = $1 AND entity = $2 AND status = 'received'
       AND external_id = ANY($3::text[])`,
    [connectionId, entity, externalIds],
  );
  const ids = pending.rows.map((row) => row.external_id);
  if (ids.length === 0) return 0;

  await enqueue(entity, ids);
  await sql.query(
    `UPDATE sync_records SET status = 'queued', updated_at = now()
     WHERE connection_id = $1 AND entity = $2 AND status = 'received'
       AND external_id = ANY($3::text[])`,
    [connectionId, entity, ids],
  );

  return ids.length;
}
