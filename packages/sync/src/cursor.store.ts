/**
 * sync_cursors: how far each stream of each connection has been read. The watermark moves only
 * after the window's records are stored and their write jobs are on the queue.
 */
import type { TPrisma } from "@ml-connector/db";
import type { TPlexStream } from "@ml-connector/queues";

export type TCursor = {
  watermark: Date | undefined;
  /** Ids already seen at exactly the watermark, skipped when the next window overlaps them. */
  boundaryIds: string[];
};

export async function readCursor(
  prisma: TPrisma,
  connectionId: string,
  stream: TPlexStream,
): Promise<TCursor> {
  const row = await prisma.syncCursor.findUnique({
    where: { connectionId_stream: { connectionId, stream } },
  });

  return {
    watermark: row?.watermark ?? undefined,
    boundaryIds: Array.isArray(row?.boundaryIds) ? (row.boundaryIds as string[]) : [],
  };
}

export async function saveCursor(
  prisma: TPrisma,
  connectionId: string,
  stream: TPlexStream,
  cursor: TCursor,
  stats: Record<string, number | string>,
): Promise<void> {
  const data = {
    watermark: cursor.watermark ?? null,
    boundaryIds: cursor.boundaryIds,
    lastRunAt: new Date(),
    lastRunStatus: "ok",
    lastRunStats: stats,
  };
  await prisma.syncCursor.upsert({
    where: { connectionId_stream: { connectionId, stream } },
    create: { connectionId, stream, ...data },
    update: data,
  });
}

export async function recordRunFailure(
  prisma: TPrisma,
  connectionId: string,
  stream: TPlexStream,
  reason: string,
): Promise<void> {
  await prisma.syncCursor.upsert({
    where: { connectionId_stream: { connectionId, stream } },
    create: {
      connectionId,
      stream,
      lastRunAt: new Date(),
      lastRunStatus: "failed",
      lastRunStats: { reason },
    },
    update: { lastRunAt: new Date(), lastRunStatus: "failed", lastRunStats: { reason } },
  });
}
