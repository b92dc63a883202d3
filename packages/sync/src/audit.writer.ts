/**
 * The audit trail: one append-only row per record and stage (received, mapped, delivered,
 * rejected, failed, replayed). Details carry codes and counts, never secrets or full e-mail
 * addresses. Writing the trail never fails a job: an audit error is logged and the work goes on,
 * because the record's own state (sync_records) is what drives retries and replays.
 */
import type { Prisma, TPrisma } from "@ml-connector/db";
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

const CHUNK = 2_000;

export async function appendAudit(
  prisma: TPrisma,
  connectionId: string,
  events: TAuditEvent[],
  log: Logger,
): Promise<void> {
  try {
    for (let start = 0; start < events.length; start += CHUNK) {
      await prisma.auditEvent.createMany({
        data: events.slice(start, start + CHUNK).map((event) => ({
          connectionId,
          entity: event.entity,
          externalId: event.externalId,
          stage: event.stage,
          reason: event.reason ?? null,
          detail: event.detail ?? {},
          jobId: event.jobId ?? null,
          attempt: event.attempt ?? null,
        })),
      });
    }
  } catch (err) {
    log.error({ err, connectionId, events: events.length }, "audit rows not written");
  }
}
