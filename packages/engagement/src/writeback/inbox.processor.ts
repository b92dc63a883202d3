/**
 * webhook-event / process-inbox: turns stored deliveries into interactions of Plex customers.
 * Each row ends "processed" (with its interaction, or with the reason it has no effect) or
 * "rejected" with its reason (no linked customer, unreadable payload) — never a retry loop. Rows,
 * interactions, identity changes and audit rows commit together; the follow-up work (activity
 * writes, report collection) is scheduled after the commit and found again on a retry.
 */
import { withBulkTransaction, type TSqlPool } from "@ml-connector/db";
import { maskEmail } from "@ml-connector/mappers";
import { appendAudit, type TAuditEvent } from "@ml-connector/sync";

import { seedActivities, type TActivitySeed } from "./activity.store.js";
import { interpretInboxRow, type TEventPlan, type TInboxRow } from "./event.interpreter.js";
import { IdentityResolver, type TCustomerRef } from "./identity.resolver.js";
import { insertInteractions, type TNewInteraction } from "./interaction.store.js";
import type { TWritebackContext } from "./writeback.context.js";

export const AUDIT_ENTITY = "engagement";

export type TProcessResult = {
  rows: number;
  interactions: number;
  rejected: number;
  skipped: number;
  campaigns: number;
};

type TRowOutcome = { id: string; status: "processed" | "rejected"; reason?: string };

export async function processInbox(
  ctx: TWritebackContext,
  connectionId: string,
  inboxIds: string[],
): Promise<TProcessResult | { skipped: string }> {
  const connection = await ctx.prisma.connection.findUnique({
    where: { id: connectionId },
    select: { status: true, deletedAt: true },
  });
  if (connection !== null && connection.status === "paused") {
    // Stays pending: the sweeper queues it again, and it runs once the connection is resumed.
    return { skipped: "connection paused" };
  }
  const removed = connection === null || connection.deletedAt !== null;

  const campaigns: { campaignId: string; receivedAt: Date }[] = [];
  const result = await withBulkTransaction(ctx.prisma, async (sql) => {
    const rows = await lockPendingRows(sql, connectionId, inboxIds);
    const resolver = new IdentityResolver(sql, connectionId);
    const plans = rows.map((row) => planOf(row));
    await resolver.prefetch(
      plans.flatMap((plan) => (plan.plan?.action === "interaction" ? [plan.plan.lookup] : [])),
    );

    const outcomes: TRowOutcome[] = [];
    const interactions: TNewInteraction[] = [];
    const seeds: TActivitySeed[] = [];
    const audit: TAuditEvent[] = [];
    const common = { jobId: ctx.jobId, attempt: ctx.attempt };
    for (const { row, plan, error } of plans) {
      const externalId = `inbox-${row.id}`;
      if (removed || plan === undefined) {
        const reason = removed ? "the connection was removed" : `unreadable payload: ${error}`;
        outcomes.push({ id: row.id, status: "rejected", reason });
        audit.push({
          ...common,
          entity: AUDIT_ENTITY,
          externalId,
          stage: "rejected",
          reason,
          detail: { eventType: row.eventType },
        });
        continue;
      }
      if (plan.action === "skip") {
        outcomes.push({ id: row.id, status: "processed", reason: plan.reason });
        audit.push({
          ...common,
          entity: AUDIT_ENTITY,
          externalId,
          stage: "mapped",
          reason: plan.reason,
          detail: { eventType: row.eventType, effect: "none" },
        });
        continue;
      }
      if (plan.action === "campaign-sent") {
        await sql.query(
          `INSERT INTO engagement_campaigns (connection_id, campaign_id, list_id, subject, sent_at,
             status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'collecting', now(), now())
           ON CONFLICT (connection_id, campaign_id) DO NOTHING`,
          [
            connectionId,
            plan.campaignId,
            plan.listId,
            plan.subject?.slice(0, 300) ?? null,
            row.receivedAt,
          ],
        );
        campaigns.push({ campaignId: plan.campaignId, receivedAt: row.receivedAt });
        outcomes.push({ id: row.id, status: "processed" });
        audit.push({
          ...common,
          entity: AUDIT_ENTITY,
          externalId,
          stage: "mapped",
          detail: {
            eventType: row.eventType,
            campaignId: plan.campaignId,
            effect: "report collection scheduled",
          },
        });
        continue;
      }

      const found = await resolveMember(resolver, plan);
      if (!found.found) {
        outcomes.push({ id: row.id, status: "rejected", reason: found.reason });
        audit.push({
          ...common,
          entity: AUDIT_ENTITY,
          externalId,
          stage: "rejected",
          reason: found.reason,
          detail: { eventType: row.eventType, member: maskEmail(plan.lookup.email) ?? null },
        });
        continue;
      }
      const { plexCustomerId, plexCustomerCode } = found.customer;
      if (plexCustomerCode === null) {
        const reason = `Plex customer ${plexCustomerId} has no customer code; Activity Manager needs one`;
        outcomes.push({ id: row.id, status: "rejected", reason });
        audit.push({
          ...common,
          entity: AUDIT_ENTITY,
          externalId,
          stage: "rejected",
          reason,
          detail: { eventType: row.eventType },
        });
        continue;
      }
      const activityKey = `${plan.draft.activityBase}:${plexCustomerId}`;
      seeds.push({
        activityKey,
        plexCustomerId,
        plexCustomerCode,
        kind: plan.draft.kind,
        activityName: plan.draft.name,
        description: plan.draft.description,
      });
      interactions.push({
        interactionKey: plan.draft.interactionKey,
        plexCustomerId,
        plexCustomerCode,
        activityKey,
        kind: plan.draft.kind,
        occurredAt: plan.draft.occurredAt,
        line: plan.draft.line,
        inboxId: row.id,
      });
      outcomes.push({ id: row.id, status: "processed" });
      audit.push({
        ...common,
        entity: AUDIT_ENTITY,
        externalId,
        stage: "mapped",
        detail: {
          eventType: row.eventType,
          customerCode: plexCustomerCode,
          via: found.via,
          relink: found.relink ?? null,
        },
      });
    }

    await seedActivities(sql, connectionId, seeds);
    const inserted = await insertInteractions(sql, connectionId, interactions);
    await markRows(sql, outcomes);
    await appendAudit(sql, connectionId, audit, ctx.log);

    return {
      rows: rows.length,
      interactions: inserted,
      rejected: outcomes.filter((outcome) => outcome.status === "rejected").length,
      skipped: plans.filter((plan) => plan.plan?.action === "skip").length,
      campaigns: campaigns.length,
    };
  });

  await scheduleFollowUps(ctx, connectionId, inboxIds, campaigns);
  ctx.log.info({ connectionId, ...result }, "webhook deliveries processed");

  return result;
}

function planOf(row: TInboxRow): { row: TInboxRow; plan?: TEventPlan; error?: string } {
  try {
    return { row, plan: interpretInboxRow(row) };
  } catch (err) {
    return { row, error: err instanceof Error ? err.message.slice(0, 200) : "unknown" };
  }
}

type TMemberResolution =
  | { found: true; customer: TCustomerRef; via: string; relink?: string }
  | { found: false; reason: string };

async function resolveMember(
  resolver: IdentityResolver,
  plan: Extract<TEventPlan, { action: "interaction" }>,
): Promise<TMemberResolution> {
  if (plan.relink === undefined) return resolver.resolve(plan.lookup);

  const relink = await resolver.relink(plan.relink.oldEmail, plan.relink.newEmail);
  if (relink === "conflict") {
    return {
      found: false as const,
      reason: `${maskEmail(plan.relink.newEmail)} already belongs to another Plex customer; the link was not moved`,
    };
  }
  // After the move (or on a replay, when it already happened) the new address finds the customer.
  const found = await resolver.resolve({ ...plan.lookup, email: plan.relink.newEmail });

  return found.found ? { ...found, relink } : found;
}

async function lockPendingRows(sql: TSqlPool, connectionId: string, inboxIds: string[]) {
  // SKIP LOCKED: a row another worker is processing right now (a sweeper duplicate) is its job.
  const result = await sql.query<{
    id: string;
    connection_id: string;
    source: string;
    content_key: string;
    event_type: string;
    fired_at: Date | null;
    received_at: Date;
    payload: unknown;
  }>(
    `SELECT id::text, connection_id, source, content_key, event_type, fired_at, received_at, payload
     FROM webhook_inbox
     WHERE connection_id = $1 AND id = ANY($2::bigint[]) AND status = 'pending'
     ORDER BY id FOR UPDATE SKIP LOCKED`,
    [connectionId, inboxIds],
  );

  return result.rows.map((row): TInboxRow => ({
    id: row.id,
    connectionId: row.connection_id,
    source: row.source,
    contentKey: row.content_key,
    eventType: row.event_type,
    firedAt: row.fired_at,
    receivedAt: row.received_at,
    payload: row.payload,
  }));
}

async function markRows(sql: TSqlPool, outcomes: TRowOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await sql.query(
    `UPDATE webhook_inbox AS inbox SET status = outcome.status, reason = outcome.reason,
       attempts = inbox.attempts + 1, processed_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS outcome (id bigint, status text, reason text)
     WHERE inbox.id = outcome.id`,
    [JSON.stringify(outcomes.map((outcome) => ({ ...outcome, reason: outcome.reason ?? null })))],
  );
}

async function scheduleFollowUps(
  ctx: TWritebackContext,
  connectionId: string,
  inboxIds: string[],
  campaigns: { campaignId: string; receivedAt: Date }[],
): Promise<void> {
  // Pending interactions of these rows, including those a failed earlier attempt left behind.
  const customers = await ctx.prisma.engagementInteraction.findMany({
    where: { connectionId, inboxId: { in: inboxIds.map((id) => BigInt(id)) }, status: "pending" },
    select: { plexCustomerId: true },
    distinct: ["plexCustomerId"],
  });
  if (customers.length > 0) {
    await ctx.schedule.writeActivities(
      connectionId,
      customers.map((customer) => customer.plexCustomerId),
    );
  }
  const first = ctx.reportIntervalsMs[0];
  if (first === undefined) return;
  for (const campaign of campaigns) {
    const delayMs = Math.max(0, campaign.receivedAt.getTime() + first - Date.now());
    await ctx.schedule.collectCampaignReport(connectionId, campaign.campaignId, 0, delayMs);
  }
}
