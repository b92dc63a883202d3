/**
 * What operators look at: a connection's status (streams, lag, record counts, recent
 * rejections and failures), lists of records by state, and one record's audit timeline.
 * Read-only; the console and the CLI both use these.
 */
import { bulkSql, type TPrisma } from "@ml-connector/db";

export type TStreamStatus = {
  stream: string;
  lastRunAt: string | null;
  lastRunStatus: string | null;
  watermark: string | null;
  /** Seconds between now and the watermark: how far behind Plex the stream is. */
  lagSeconds: number | null;
  lastRunStats: unknown;
};

export type TConnectionStatus = {
  streams: TStreamStatus[];
  records: Record<string, Record<string, number>>;
  last24h: { delivered: number; rejected: number; failed: number };
};

export async function connectionStatus(
  prisma: TPrisma,
  connectionId: string,
  now = new Date(),
): Promise<TConnectionStatus> {
  const sql = bulkSql(prisma);
  const cursors = await prisma.syncCursor.findMany({
    where: { connectionId },
    orderBy: { stream: "asc" },
  });
  const counts = await sql.query<{ entity: string; status: string; count: string }>(
    `SELECT entity, status, count(*) AS count FROM sync_records WHERE connection_id = $1
     GROUP BY entity, status ORDER BY entity, status`,
    [connectionId],
  );
  const recent = await sql.query<{ stage: string; count: string }>(
    `SELECT stage, count(*) AS count FROM audit_events
     WHERE connection_id = $1 AND at > $2 AND stage IN ('delivered', 'rejected', 'failed')
     GROUP BY stage`,
    [connectionId, new Date(now.getTime() - 86_400_000)],
  );

  const records: Record<string, Record<string, number>> = {};
  for (const row of counts.rows) {
    records[row.entity] ??= {};
    records[row.entity]![row.status] = Number(row.count);
  }
  const byStage = Object.fromEntries(recent.rows.map((row) => [row.stage, Number(row.count)]));

  return {
    streams: cursors.map((cursor) => ({
      stream: cursor.stream,
      lastRunAt: cursor.lastRunAt?.toISOString() ?? null,
      lastRunStatus: cursor.lastRunStatus,
      watermark: cursor.watermark?.toISOString() ?? null,
      lagSeconds:
        cursor.watermark === null
          ? null
          : Math.max(0, Math.round((now.getTime() - cursor.watermark.getTime()) / 1_000)),
      lastRunStats: cursor.lastRunStats,
    })),
    records,
    last24h: {
      delivered: byStage.delivered ?? 0,
      rejected: byStage.rejected ?? 0,
      failed: byStage.failed ?? 0,
    },
  };
}

export type TRecordFilter = {
  entity?: string;
  status?: string;
  /** Part of the external id or of the reason. */
  search?: string;
  limit?: number;
};

export type TRecordSummary = {
  entity: string;
  externalId: string;
  status: string;
  reason: string | null;
  attempts: number;
  updatedAt: string;
  /** A short label: the customer's code and name, or the contact's name. */
  label: string | null;
};

export async function listRecords(
  prisma: TPrisma,
  connectionId: string,
  filter: TRecordFilter,
): Promise<TRecordSummary[]> {
  const { rows } = await bulkSql(prisma).query<{
    entity: string;
    external_id: string;
    status: string;
    reason: string | null;
    attempts: number;
    updated_at: Date;
    label: string | null;
  }>(
    `SELECT entity, external_id, status, reason, attempts, updated_at,
       COALESCE(
         NULLIF(concat_ws(' ', source_data->'customer'->>'code', source_data->'customer'->>'name'), ''),
         NULLIF(concat_ws(' ', source_data->>'firstName', source_data->>'lastName'), '')
       ) AS label
     FROM sync_records
     WHERE connection_id = $1
       AND ($2::text IS NULL OR entity = $2)
       AND ($3::text IS NULL OR status = $3)
       AND ($4::text IS NULL OR external_id ILIKE '%' || $4 || '%' OR reason ILIKE '%' || $4 || '%'
            OR source_data->'customer'->>'code' ILIKE '%' || $4 || '%')
     ORDER BY updated_at DESC
     LIMIT $5`,
    [
      connectionId,
      filter.entity ?? null,
      filter.status ?? null,
      filter.search ?? null,
      Math.min(filter.limit ?? 100, 1_000),
    ],
  );

  return rows.map((row) => ({
    entity: row.entity,
    externalId: row.external_id,
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    updatedAt: row.updated_at.toISOString(),
    label: row.label,
  }));
}

export type TAuditTimeline = {
  record: TRecordSummary | undefined;
  events: {
    at: string;
    stage: string;
    reason: string | null;
    detail: unknown;
    jobId: string | null;
    attempt: number | null;
  }[];
};

/** A record's current state and every audit event of it, oldest first. */
export async function auditTimeline(
  prisma: TPrisma,
  connectionId: string,
  entity: string,
  externalId: string,
): Promise<TAuditTimeline> {
  const [record] = await listRecords(prisma, connectionId, {
    entity,
    search: externalId,
    limit: 50,
  }).then((rows) => rows.filter((row) => row.externalId === externalId));
  const events = await prisma.auditEvent.findMany({
    where: { connectionId, entity, externalId },
    orderBy: { id: "asc" },
    take: 1_000,
  });

  return {
    record,
    events: events.map((event) => ({
      at: event.at.toISOString(),
      stage: event.stage,
      reason: event.reason,
      detail: event.detail,
      jobId: event.jobId,
      attempt: event.attempt,
    })),
  };
}
