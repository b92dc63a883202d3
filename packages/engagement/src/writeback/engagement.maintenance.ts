/**
 * The periodic checks that make the engagement flow self-healing:
 * - every active connection has its Mailchimp list webhook, registered again if it went missing;
 * - inbox rows left pending (Redis was down when they were stored) are queued again;
 * - interactions left pending (their write job was lost) get a write scheduled;
 * - campaigns whose next report round is overdue get it scheduled.
 * Each step is idempotent, so running it on two replicas, or twice, does no harm.
 */
import { randomUUID } from "node:crypto";

import type { Redis } from "ioredis";

import {
  openMailchimpClient,
  type ConnectionService,
  type TConnectionView,
} from "@ml-connector/connections";
import { bulkSql, type TPrisma } from "@ml-connector/db";
import type { TProducer } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";
import { ensureListWebhook, type TListWebhookOutcome } from "@ml-connector/sync";
import type { CredentialVault } from "@ml-connector/vault";

import { requeuePendingInbox } from "../intake/inbox.sweeper.js";
import { customersWithStalePending } from "./interaction.store.js";
import type { TWritebackScheduler } from "./writeback.context.js";

export type TWebhookCheckDeps = {
  connections: ConnectionService;
  vault: CredentialVault;
  redis: Redis;
  prefix: string;
  log: Logger;
  /** Where Mailchimp reaches the webhook receiver (scheme, host, optional path prefix). */
  publicUrl: string;
};

export function listWebhookUrl(publicUrl: string, connectionId: string, secret: string): string {
  return `${publicUrl}/webhooks/mailchimp/${connectionId}/${secret}`;
}

export async function ensureConnectionWebhook(
  deps: TWebhookCheckDeps,
  connection: TConnectionView,
): Promise<TListWebhookOutcome | "skipped" | "busy"> {
  const listId = connection.mailchimp.listId;
  const secret = await deps.vault.find(connection.id, "webhook_secret");
  if (connection.status !== "active" || listId === null || secret === undefined) return "skipped";
  const mailchimp = await openMailchimpClient(connection, {
    vault: deps.vault,
    redis: deps.redis,
    prefix: deps.prefix,
    log: deps.log,
  });
  if (mailchimp === undefined) return "skipped";

  // One check per connection at a time, across replicas: two concurrent registrations of the
  // same URL can both pass Mailchimp's duplicate check while its validation GET is in flight.
  const lock = `${deps.prefix}:list-webhook-check:${connection.id}`;
  const token = randomUUID();
  if ((await deps.redis.set(lock, token, "PX", 60_000, "NX")) !== "OK") return "busy";
  try {
    return await ensureListWebhook(
      mailchimp,
      {
        listId,
        url: listWebhookUrl(deps.publicUrl, connection.id, secret.secret),
        ownedPrefix: `${deps.publicUrl}/webhooks/mailchimp/${connection.id}/`,
      },
      deps.log.child({ connectionId: connection.id }),
    );
  } finally {
    await deps.redis.eval(RELEASE, 1, lock, token).catch(() => undefined);
  }
}

// Deletes the lock only if it still holds this check's token.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Checks every connection; one connection's failure does not stop the others. */
export async function checkListWebhooks(deps: TWebhookCheckDeps): Promise<Record<string, string>> {
  const outcomes: Record<string, string> = {};
  for (const connection of await deps.connections.list()) {
    try {
      outcomes[connection.id] = await ensureConnectionWebhook(deps, connection);
    } catch (err) {
      outcomes[connection.id] = "failed";
      deps.log.warn({ err, connectionId: connection.id }, "mailchimp list webhook check failed");
    }
  }

  return outcomes;
}

export type TSweepDeps = {
  prisma: TPrisma;
  inboxProducer: TProducer<"webhookEvent">;
  schedule: TWritebackScheduler;
  reportIntervalsMs: number[];
  log: Logger;
};

export type TSweepResult = { inboxRows: number; customers: number; campaigns: number };

export async function sweepEngagement(
  deps: TSweepDeps,
  options: { olderThanMs: number },
): Promise<TSweepResult> {
  const inboxRows = await requeuePendingInbox(deps.prisma, deps.inboxProducer, options);

  const stale = await customersWithStalePending(bulkSql(deps.prisma), options.olderThanMs, 5_000);
  const byConnection = new Map<string, string[]>();
  for (const { connectionId, plexCustomerId } of stale) {
    byConnection.set(connectionId, [...(byConnection.get(connectionId) ?? []), plexCustomerId]);
  }
  for (const [connectionId, customers] of byConnection) {
    await deps.schedule.writeActivities(connectionId, customers);
  }

  const campaigns = await deps.prisma.engagementCampaign.findMany({
    where: { status: "collecting" },
    select: { connectionId: true, campaignId: true, sentAt: true, roundsDone: true },
  });
  let due = 0;
  for (const campaign of campaigns) {
    const interval = deps.reportIntervalsMs[campaign.roundsDone];
    if (interval === undefined) continue;
    const overdueAt = campaign.sentAt.getTime() + interval + options.olderThanMs;
    if (overdueAt > Date.now()) continue;
    await deps.schedule.collectCampaignReport(
      campaign.connectionId,
      campaign.campaignId,
      campaign.roundsDone,
      0,
    );
    due += 1;
  }
  const result = { inboxRows, customers: stale.length, campaigns: due };
  if (inboxRows + stale.length + due > 0) deps.log.info(result, "engagement sweep queued work");

  return result;
}
