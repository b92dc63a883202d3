/**
 * plex-writeback:
 * - write-activities: a customer's pending interactions into Plex Activity Manager;
 * - collect-campaign-report: one round of a sent campaign's report (opens, clicks, unsubscribes);
 * - check-webhooks: the list webhook of one or every connection, registered again if missing;
 * - sweep-engagement: queues what was left behind (see engagement.maintenance.ts).
 */
import type { Redis } from "ioredis";

import {
  ConnectionError,
  openMailchimpClient,
  openPlexClients,
  type ConnectionService,
  type TConnectionView,
} from "@ml-connector/connections";
import type { TPrisma } from "@ml-connector/db";
import {
  checkListWebhooks,
  collectCampaignReport,
  ensureConnectionWebhook,
  sweepEngagement,
  writeCustomerActivities,
  type TActivitySettings,
  type TWritebackScheduler,
} from "@ml-connector/engagement";
import type {
  TCheckWebhooksPayload,
  TCollectCampaignReportPayload,
  TProducer,
  TWriteActivitiesPayload,
} from "@ml-connector/queues";
import type { TJobContext, TJobHandlers } from "@ml-connector/runtime";
import type { CredentialVault } from "@ml-connector/vault";

export type TWritebackDeps = {
  connections: ConnectionService;
  vault: CredentialVault;
  prisma: TPrisma;
  redis: Redis;
  prefix: string;
  schedule: TWritebackScheduler;
  inboxProducer: TProducer<"webhookEvent">;
  reportIntervalsMs: number[];
  settings: TActivitySettings;
  publicUrl: string;
  sweepAfterMs: number;
};

async function connectionOf(deps: TWritebackDeps, connectionId: string) {
  try {
    return await deps.connections.get(connectionId);
  } catch (err) {
    if (err instanceof ConnectionError && err.code === "NOT_FOUND") return undefined;
    throw err;
  }
}

export function writebackHandlers(deps: TWritebackDeps): TJobHandlers<"plexWriteback"> {
  const context = (ctx: TJobContext) => ({
    prisma: deps.prisma,
    log: ctx.log,
    schedule: deps.schedule,
    reportIntervalsMs: deps.reportIntervalsMs,
    jobId: ctx.job.id,
    attempt: ctx.job.attemptsStarted,
  });
  const clientDeps = (ctx: TJobContext) => ({
    vault: deps.vault,
    redis: deps.redis,
    prefix: deps.prefix,
    log: ctx.log,
  });

  return {
    "write-activities": async (payload: TWriteActivitiesPayload, ctx: TJobContext) => {
      const connection = await connectionOf(deps, payload.connectionId);
      if (connection === undefined) return { skipped: "connection removed" };
      if (connection.status !== "active") return { skipped: `connection ${connection.status}` };
      const clients = await openPlexClients(connection, clientDeps(ctx));
      if (!("connect" in clients)) {
        // TODO(#7): tenants reached only through SOAP/UX data sources have no Activity Manager
        // path here; their interactions stay pending until a Connect credential is added.
        return { skipped: "Activity Manager needs a Plex Connect credential" };
      }

      return writeCustomerActivities(
        { ...context(ctx), plex: clients.connect, settings: deps.settings, signal: ctx.signal },
        payload.connectionId,
        payload.plexCustomerId,
      );
    },

    "collect-campaign-report": async (payload: TCollectCampaignReportPayload, ctx: TJobContext) => {
      const connection = await connectionOf(deps, payload.connectionId);
      if (connection === undefined) return { skipped: "connection removed" };
      const mailchimp = await openMailchimpClient(connection, clientDeps(ctx));
      if (mailchimp === undefined)
        throw new Error("the connection has no Mailchimp credential yet");

      return collectCampaignReport(
        { ...context(ctx), mailchimp, signal: ctx.signal },
        payload.connectionId,
        payload.campaignId,
        payload.round,
      );
    },

    "check-webhooks": async (payload: TCheckWebhooksPayload, ctx: TJobContext) => {
      const checkDeps = {
        ...clientDeps(ctx),
        connections: deps.connections,
        publicUrl: deps.publicUrl,
      };
      if (payload.connectionId === undefined) return checkListWebhooks(checkDeps);
      const connection: TConnectionView | undefined = await connectionOf(
        deps,
        payload.connectionId,
      );
      if (connection === undefined) return { skipped: "connection removed" };

      return { [connection.id]: await ensureConnectionWebhook(checkDeps, connection) };
    },

    "sweep-engagement": async (_payload: unknown, ctx: TJobContext) =>
      sweepEngagement(
        {
          prisma: deps.prisma,
          inboxProducer: deps.inboxProducer,
          schedule: deps.schedule,
          reportIntervalsMs: deps.reportIntervalsMs,
          log: ctx.log,
        },
        { olderThanMs: deps.sweepAfterMs },
      ),
  };
}
