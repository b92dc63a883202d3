/**
 * Hands stored records on to the writer. Records of the window that are still "received" — new
 * or changed now, or left over by a poll that crashed before its jobs were queued — are put on
 * the queue and marked "queued". A crash between the two steps queues them again next time;
 * the writer is idempotent, so that costs a repeat, never a loss.
 */
import type { TPrisma } from "@ml-connector/db";
import type { TSyncEntity } from "@ml-connector/queues";

export async function handOnReceived(
  prisma: TPrisma,
  connectionId: string,
  entity: TSyncEntity,
  externalIds: string[],
  enqueue: (entity: TSyncEntity, ids: string[]) => Promise<void>,
): Promise<number> {
  if (externalIds.length === 0) return 0;
  const pending = await prisma.syncRecord.findMany({
    where: { connectionId, entity, externalId: { in: externalIds }, status: "received" },
    select: { externalId: true },
  });
  const ids = pending.map((row) => row.externalId);
  if (ids.length === 0) return 0;

  await enqueue(entity, ids);
  await prisma.syncRecord.updateMany({
    where: { connectionId, entity, externalId: { in: ids }, status: "received" },
    data: { status: "queued" },
  });

  return ids.length;
}
