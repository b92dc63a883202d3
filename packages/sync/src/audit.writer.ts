/**
 * The audit trail: one append-only row per record and stage (received, mapped, delivered,
 * rejected, failed, replayed). Details carry codes and counts, never secrets or full e-mail
 * addresses. Writing the trail never fails a job: an audit error is logged and the work goes on,
 * because the record's own state (sync_records) is what drives retries and replays.
 */
import { bulkSql, type Prisma, type TPrisma, type TSqlPool } from "@ml-connector/db";
import type { Logger } from "@ml-connector/runtime";

export type TAuditStage = "received" | "mapped" | "delivered" | "rejected" | "failed" | "replayed";

export type TAuditEvent = {
  entity: string;
  externalId: string;
  stage: TAuditStage;
  reason?: string;
  detail?: Prisma.InputJsonObject;
  jobId?: string;
  attempt?: number;
};

const CHUNK = 5_000;

/**
 * Appends audit rows. `target` is a Prisma client, or the connection of a bulk transaction
 * (withBulkTransaction): there a savepoint keeps a failed audit insert from undoing the work.
 */
export async function appendAudit(
  target: TPrisma | TSqlPool,
  connectionId: string,
  events: TAuditEvent[],
  log: Logger,
): Promise<void> {
  if (events.length === 0) return;
  const inTransaction = !("$queryRaw" in target);
  const sql = inTransaction ? target : bulkSql(target);
  try {
    if (inTransaction) await sql.query("SAVEPOINT audit");
    for (let start = 0; start < events.length; start += CHUNK) {
      // One JSON document per chunk, unpacked by Postgres: audit volume follows record volume.
      const document = JSON.stringify(
        events.slice(start, start + CHUNK).map((event) => ({
          entity: event.entity,
          external_id: event.externalId,
          stage: event.stage,
          reason: event.reason ?? null,
          detail: event.detail ?? {},
          job_id: event.jobId ?? null,
          attempt: event.attempt ?? null,
        })),
      );
      await sql.query(
        `INSERT INTO audit_events (connection_id, entity, external_id, stage, reason, detail,
           job_id, attempt, at)
         SELECT $1, event.entity, event.external_id, event.stage, event.reason, event.detail,
           event.job_id, event.attempt, now()
         FROM jsonb_to_recordset($2::jsonb) AS event (entity text, external_id text, stage text,
           reason text, detail jsonb, job_id text, attempt int)`,
        [connectionId, document],
      );
    }
    if (inTransaction) await sql.query("RELEASE SAVEPOINT audit");
  } catch (err) {
    if (inTransaction) await sql.query("ROLLBACK TO SAVEPOINT audit").catch(() => undefined);
    log.error({ err, connectionId, events: events.length }, "audit rows not written");
  }
}
