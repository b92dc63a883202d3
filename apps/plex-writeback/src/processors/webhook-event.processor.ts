/**
 * webhook-event / process-inbox: stored webhook deliveries → interactions of Plex customers
 * (@ml-connector/engagement processInbox), then debounced activity writes and report rounds.
 */
import type { TPrisma } from "@ml-connector/db";
import { processInbox, type TWritebackScheduler } from "@ml-connector/engagement";
import type { TProcessInboxPayload } from "@ml-connector/queues";
import type { TJobContext, TJobHandlers } from "@ml-connector/runtime";

export type TInboxDeps = {
  prisma: TPrisma;
  schedule: TWritebackScheduler;
  reportIntervalsMs: number[];
};

export function webhookEventHandlers(deps: TInboxDeps): TJobHandlers<"webhookEvent"> {
  return {
    "process-inbox": async (payload: TProcessInboxPayload, ctx: TJobContext) =>
      processInbox(
        {
          prisma: deps.prisma,
          log: ctx.log,
          schedule: deps.schedule,
          reportIntervalsMs: deps.reportIntervalsMs,
          jobId: ctx.job.id,
          attempt: ctx.job.attemptsStarted,
        },
        payload.connectionId,
        payload.inboxIds,
      ),
  };
}
