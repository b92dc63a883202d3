/**
 * Every queue ml-connector uses, in one place: its name, the jobs it carries, each job's payload
 * schema, and the retry and retention defaults. Producers validate before `add`; workers validate
 * again before doing any work (a job may have been written by an older release).
 *
 * Payloads carry ids and small values only. Source data lives in Postgres (sync_records,
 * webhook_inbox); credentials never travel through Redis, where BullMQ stores job data in clear.
 *
 * WARNING: QUEUE AND JOB NAMES ARE STORED IN REDIS. RENAMING ONE ORPHANS EVERY JOB AND SCHEDULER
 * ALREADY WAITING UNDER THE OLD NAME. ADD A NEW NAME AND DRAIN THE OLD ONE INSTEAD.
 */
import { z } from "zod";

const ZConnectionId = z.string().min(1).max(64);

/** Plex streams the poller reads; each has its own cursor and schedule. */
export const PLEX_STREAMS = [
  "customers",
  "contacts",
  "parts",
  "orders",
  "releases",
  "shippers",
  "invoices",
] as const;
export const ZPlexStream = z.enum(PLEX_STREAMS);
export type TPlexStream = z.infer<typeof ZPlexStream>;

/** plex-poll / poll-stream: read one stream of one connection from its cursor onwards. */
export const ZPollStreamPayload = z.object({
  connectionId: ZConnectionId,
  stream: ZPlexStream,
  /** schedule (job scheduler tick), manual ("sync now"), backfill (from the CLI). */
  trigger: z.enum(["schedule", "manual", "backfill"]),
});
export type TPollStreamPayload = z.infer<typeof ZPollStreamPayload>;

/** Entities that sync_records tracks on their way to Mailchimp. */
export const ZSyncEntity = z.enum(["customer", "contact", "product", "order"]);
export type TSyncEntity = z.infer<typeof ZSyncEntity>;

/** mailchimp-write / write-records: deliver these sync_records (by external id) to Mailchimp. */
export const ZWriteRecordsPayload = z.object({
  connectionId: ZConnectionId,
  entity: ZSyncEntity,
  externalIds: z.array(z.string().min(1).max(128)).min(1).max(5_000),
  /** Set when an operator replays records, so the audit trail says so. */
  replay: z.boolean().default(false),
});
export type TWriteRecordsPayload = z.infer<typeof ZWriteRecordsPayload>;

/** mailchimp-write / collect-batch: read the results of a Mailchimp /batches job into the audit. */
export const ZCollectBatchPayload = z.object({
  connectionId: ZConnectionId,
  batchId: z.string().min(1).max(64),
  /** 0-based poll round; the delay between polls widens with it. */
  round: z.number().int().min(0).max(200).default(0),
});
export type TCollectBatchPayload = z.infer<typeof ZCollectBatchPayload>;

/** mailchimp-write / provision: create merge fields, the store and webhooks for a connection. */
export const ZProvisionPayload = z.object({ connectionId: ZConnectionId });
export type TProvisionPayload = z.infer<typeof ZProvisionPayload>;

/** webhook-event / process-inbox: turn stored webhook deliveries into Plex write-back work. */
export const ZProcessInboxPayload = z.object({
  connectionId: ZConnectionId,
  inboxIds: z.array(z.string().regex(/^\d+$/)).min(1).max(1_000),
});
export type TProcessInboxPayload = z.infer<typeof ZProcessInboxPayload>;

/** plex-writeback / write-activities: flush pending interaction history of one customer. */
export const ZWriteActivitiesPayload = z.object({
  connectionId: ZConnectionId,
  plexCustomerId: z.string().min(1).max(64),
});
export type TWriteActivitiesPayload = z.infer<typeof ZWriteActivitiesPayload>;

/** plex-writeback / collect-campaign-report: read a sent campaign's activity from Reports API. */
export const ZCollectCampaignReportPayload = z.object({
  connectionId: ZConnectionId,
  campaignId: z.string().min(1).max(64),
  /** 0-based index into the widening collection intervals (1 h, 6 h, 1 d, 3 d, 7 d). */
  round: z.number().int().min(0).max(20),
});
export type TCollectCampaignReportPayload = z.infer<typeof ZCollectCampaignReportPayload>;

/** plex-writeback / check-webhooks: make sure list webhooks are registered (one or all). */
export const ZCheckWebhooksPayload = z.object({ connectionId: ZConnectionId.optional() });
export type TCheckWebhooksPayload = z.infer<typeof ZCheckWebhooksPayload>;

/** plex-writeback / sweep-engagement: queue what was left behind (pending inbox rows, writes). */
export const ZSweepEngagementPayload = z.object({});
export type TSweepEngagementPayload = z.infer<typeof ZSweepEngagementPayload>;

const DAY_SECONDS = 86_400;

/** Completed jobs are kept briefly (Postgres holds the durable record); failed ones longer. */
const RETENTION = {
  removeOnComplete: { age: DAY_SECONDS, count: 1_000 },
  removeOnFail: { age: 14 * DAY_SECONDS },
} as const;

export const QUEUES = {
  plexPoll: {
    name: "plex-poll",
    description: "Scheduled and manual reads of Plex streams, one job per connection and stream.",
    jobs: { "poll-stream": ZPollStreamPayload },
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
      ...RETENTION,
    },
  },
  mailchimpWrite: {
    name: "mailchimp-write",
    description: "Batches of mapped records delivered to Mailchimp (members, e-commerce).",
    jobs: {
      "write-records": ZWriteRecordsPayload,
      "collect-batch": ZCollectBatchPayload,
      provision: ZProvisionPayload,
    },
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
      ...RETENTION,
    },
  },
  webhookEvent: {
    name: "webhook-event",
    description: "Stored webhook deliveries, resolved to Plex customers.",
    jobs: { "process-inbox": ZProcessInboxPayload },
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
      ...RETENTION,
    },
  },
  plexWriteback: {
    name: "plex-writeback",
    description: "Interaction history written into Plex Activity Manager; campaign report reads.",
    jobs: {
      "write-activities": ZWriteActivitiesPayload,
      "collect-campaign-report": ZCollectCampaignReportPayload,
      "check-webhooks": ZCheckWebhooksPayload,
      "sweep-engagement": ZSweepEngagementPayload,
    },
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
      ...RETENTION,
    },
  },
} as const;

export type TQueueKey = keyof typeof QUEUES;
export type TQueueDef<K extends TQueueKey = TQueueKey> = (typeof QUEUES)[K];
export type TJobName<K extends TQueueKey> = keyof TQueueDef<K>["jobs"] & string;
export type TJobPayload<K extends TQueueKey, J extends TJobName<K>> = z.input<
  TQueueDef<K>["jobs"][J] & z.ZodType
>;
export type TParsedJobPayload<K extends TQueueKey, J extends TJobName<K>> = z.output<
  TQueueDef<K>["jobs"][J] & z.ZodType
>;

export const QUEUE_NAMES = Object.values(QUEUES).map((queue) => queue.name);

/** Parses a job's payload with its registered schema; throws a readable error when it is wrong. */
export function parseJobPayload<K extends TQueueKey, J extends TJobName<K>>(
  queueKey: K,
  jobName: J,
  payload: unknown,
): TParsedJobPayload<K, J> {
  const jobs = QUEUES[queueKey].jobs as Record<string, z.ZodType>;
  const schema = jobs[jobName];
  if (schema === undefined) {
    throw new Error(`queue ${QUEUES[queueKey].name} has no job named ${jobName}`);
  }

  const result = schema.safeParse(payload);
  if (!result.success) {
    throw new Error(
      `invalid ${QUEUES[queueKey].name}/${jobName} payload: ${z.prettifyError(result.error)}`,
    );
  }

  return result.data as TParsedJobPayload<K, J>;
}
