/**
 * plex-writeback / collect-campaign-report: marketing-campaign opens and clicks never arrive by
 * webhook (reference mailchimp-api.md §5.2), so after a `campaign` webhook says a campaign was sent,
 * its report is read in rounds at widening intervals (by default 1 h, 6 h, 1 d, 3 d and 7 d after
 * the send): `email-activity` with `since` for opens, clicks and bounces, and the campaign's
 * unsubscribes. Each round adds the new interactions of linked members to their customer's
 * campaign activity. Reading overlaps the previous round a little; interaction keys absorb it.
 */
import { withBulkTransaction } from "@ml-connector/db";
import { emailActivity, getCampaign, type MailchimpClient } from "@ml-connector/mailchimp-client";
import { contentHash, maskEmail } from "@ml-connector/mappers";
import { appendAudit } from "@ml-connector/sync";

import { campaignActivityName, commentLine, describeActivity } from "./activity.format.js";
import { seedActivities, type TActivitySeed } from "./activity.store.js";
import { AUDIT_ENTITY } from "./inbox.processor.js";
import { IdentityResolver } from "./identity.resolver.js";
import { insertInteractions, type TNewInteraction } from "./interaction.store.js";
import { campaignUnsubscribes } from "./reports-unsubscribed.api.js";
import type { TWritebackContext } from "./writeback.context.js";

/** Events can become visible a little after their timestamp; re-read this much of the past. */
const CURSOR_OVERLAP_MS = 10 * 60_000;

export type TReportContext = TWritebackContext & {
  mailchimp: MailchimpClient;
  signal?: AbortSignal;
};

export type TReportResult = {
  round: number;
  events: number;
  interactions: number;
  unmatchedMembers: number;
  customers: number;
  nextRoundInMs?: number;
};

type TReportEvent = { email: string; action: string; at: Date; detail?: string };

export async function collectCampaignReport(
  ctx: TReportContext,
  connectionId: string,
  campaignId: string,
  round: number,
): Promise<TReportResult | { skipped: string }> {
  const campaign = await ctx.prisma.engagementCampaign.findUnique({
    where: { connectionId_campaignId: { connectionId, campaignId } },
  });
  if (campaign === null) return { skipped: "campaign unknown" };
  if (campaign.status === "done" || round < campaign.roundsDone) {
    return { skipped: `round ${round} already collected` };
  }

  const since =
    campaign.activityCursor === null
      ? undefined
      : new Date(campaign.activityCursor.getTime() - CURSOR_OVERLAP_MS);
  const events = await readEvents(ctx, campaignId, since);
  let subject = campaign.subject;
  if (subject === null) {
    const details = await getCampaign(ctx.mailchimp, campaignId);
    subject = details.settings?.subject_line ?? details.settings?.title ?? null;
  }

  const latest = events.reduce(
    (max, event) => (event.at > max ? event.at : max),
    campaign.activityCursor ?? new Date(0),
  );
  const lastRound = round + 1 >= ctx.reportIntervalsMs.length;
  const { interactions, unmatched, customers } = await withBulkTransaction(
    ctx.prisma,
    async (sql) => {
      const resolver = new IdentityResolver(sql, connectionId);
      await resolver.prefetch(events.map((event) => ({ email: event.email })));
      const rows: TNewInteraction[] = [];
      const seeds: TActivitySeed[] = [];
      const unmatchedEmails = new Set<string>();
      for (const event of events) {
        const found = await resolver.resolve({ email: event.email });
        if (!found.found || found.customer.plexCustomerCode === null) {
          unmatchedEmails.add(event.email.toLowerCase());
          continue;
        }
        const { plexCustomerId, plexCustomerCode } = found.customer;
        const activityKey = `campaign:${campaignId}:${plexCustomerId}`;
        seeds.push({
          activityKey,
          plexCustomerId,
          plexCustomerCode,
          kind: "campaign",
          activityName: campaignActivityName(campaignId, subject),
          description: describeActivity("campaign", subject),
        });
        rows.push({
          interactionKey: contentHash([
            "report",
            campaignId,
            event.email.toLowerCase(),
            event.action,
            event.at.toISOString(),
            event.detail ?? "",
          ]),
          plexCustomerId,
          plexCustomerCode,
          activityKey,
          kind: "campaign",
          occurredAt: event.at,
          line: commentLine(event.at, describeEvent(event)),
        });
      }
      await seedActivities(sql, connectionId, seeds);
      const inserted = await insertInteractions(sql, connectionId, rows);
      await sql.query(
        `UPDATE engagement_campaigns SET activity_cursor = $3, subject = $4,
         rounds_done = GREATEST(rounds_done, $5), status = $6, updated_at = now()
       WHERE connection_id = $1 AND campaign_id = $2`,
        [
          connectionId,
          campaignId,
          events.length === 0 ? campaign.activityCursor : latest,
          subject?.slice(0, 300) ?? null,
          round + 1,
          lastRound ? "done" : "collecting",
        ],
      );
      await appendAudit(
        sql,
        connectionId,
        [
          {
            jobId: ctx.jobId,
            attempt: ctx.attempt,
            entity: AUDIT_ENTITY,
            externalId: `campaign-${campaignId}`,
            stage: "received",
            detail: {
              round,
              events: events.length,
              interactions: inserted,
              unmatchedMembers: unmatchedEmails.size,
              exampleUnmatched: maskEmail([...unmatchedEmails][0]) ?? null,
            },
          },
        ],
        ctx.log,
      );

      return {
        interactions: inserted,
        unmatched: unmatchedEmails.size,
        customers: [...new Set(rows.map((row) => row.plexCustomerId))],
      };
    },
  );

  if (customers.length > 0) await ctx.schedule.writeActivities(connectionId, customers);
  const result: TReportResult = {
    round,
    events: events.length,
    interactions,
    unmatchedMembers: unmatched,
    customers: customers.length,
  };
  const next = ctx.reportIntervalsMs[round + 1];
  if (next !== undefined) {
    const delayMs = Math.max(0, campaign.sentAt.getTime() + next - Date.now());
    await ctx.schedule.collectCampaignReport(connectionId, campaignId, round + 1, delayMs);
    result.nextRoundInMs = delayMs;
  }
  ctx.log.info({ connectionId, campaignId, ...result }, "campaign report collected");

  return result;
}

async function readEvents(
  ctx: TReportContext,
  campaignId: string,
  since: Date | undefined,
): Promise<TReportEvent[]> {
  const events: TReportEvent[] = [];
  for await (const page of emailActivity(ctx.mailchimp, campaignId, since, ctx.signal)) {
    for (const member of page) {
      for (const activity of member.activity) {
        const at = new Date(activity.timestamp);
        if (Number.isNaN(at.getTime())) continue;
        const bounce = (activity as { type?: unknown }).type;
        events.push({
          email: member.email_address,
          action: activity.action,
          at,
          detail:
            activity.action === "click"
              ? activity.url
              : typeof bounce === "string"
                ? bounce
                : undefined,
        });
      }
    }
  }
  // The unsubscribe report has no `since` (reference §5.2 (a)): filter by its timestamps here.
  for (const unsubscribe of await campaignUnsubscribes(ctx.mailchimp, campaignId, ctx.signal)) {
    const at = new Date(unsubscribe.timestamp);
    if (Number.isNaN(at.getTime()) || (since !== undefined && at <= since)) continue;
    events.push({
      email: unsubscribe.email_address,
      action: "unsub",
      at,
      detail: unsubscribe.reason,
    });
  }

  return events;
}

function describeEvent(event: TReportEvent): string {
  if (event.action === "open") return `opened by ${event.email}`;
  if (event.action === "click") return `link ${event.detail ?? ""} clicked by ${event.email}`;
  if (event.action === "bounce") return `bounced (${event.detail ?? "hard"}) for ${event.email}`;
  if (event.action === "unsub") {
    const reason =
      event.detail === undefined || event.detail === "" ? "" : ` (reason: ${event.detail})`;

    return `${event.email} unsubscribed from this campaign${reason}`;
  }

  return `${event.action} by ${event.email}`;
}
