/**
 * plex-writeback entry point: turns stored webhook deliveries into Plex Activity Manager history,
 * collects campaign reports, keeps the list webhooks registered. See README.md.
 */
import { ConnectionService } from "@ml-connector/connections";
import { createProducer, safeJobId } from "@ml-connector/queues";
import { bootService, configOrExit } from "@ml-connector/runtime";
import { createVault, loadMasterKeyring } from "@ml-connector/vault";

import { ZEnv } from "./env.js";
import { writebackHandlers } from "./processors/plex-writeback.processor.js";
import { webhookEventHandlers } from "./processors/webhook-event.processor.js";
import { writebackScheduler } from "./processors/writeback.scheduler.js";

const { env, host, prisma } = bootService("plex-writeback", ZEnv);
const keyring = configOrExit("plex-writeback", () => loadMasterKeyring(process.env));
const vault = createVault({ prisma, keyring, logger: host.log });
const writes = createProducer("plexWriteback", host.queueConnection, env.QUEUE_PREFIX);
const inboxProducer = createProducer("webhookEvent", host.queueConnection, env.QUEUE_PREFIX);
const schedule = writebackScheduler(writes, env.WRITE_DEBOUNCE_MS);

host.addWorker({
  queueKey: "webhookEvent",
  concurrency: env.INBOX_CONCURRENCY,
  handlers: webhookEventHandlers({
    prisma,
    schedule,
    reportIntervalsMs: env.REPORT_COLLECTION_INTERVALS,
  }),
});
host.addWorker({
  queueKey: "plexWriteback",
  concurrency: env.WRITE_CONCURRENCY,
  handlers: writebackHandlers({
    connections: new ConnectionService(prisma, vault),
    vault,
    prisma,
    redis: host.redis,
    prefix: env.QUEUE_PREFIX,
    schedule,
    inboxProducer,
    reportIntervalsMs: env.REPORT_COLLECTION_INTERVALS,
    settings: {
      activityType: env.PLEX_ACTIVITY_TYPE,
      activityStatus: env.PLEX_ACTIVITY_STATUS,
      maxComments: env.PLEX_ACTIVITY_MAX_COMMENTS,
    },
    publicUrl: env.WEBHOOK_PUBLIC_URL,
    sweepAfterMs: env.SWEEP_AFTER_MS,
  }),
});
host.onShutdown("queues", "producers", async () => {
  await Promise.all([writes.close(), inboxProducer.close()]);
});

await host.start();

// Job schedulers live in Redis: every replica upserts the same two, and one job runs per tick.
const queue = host.queue("plexWriteback");
await queue.upsertJobScheduler(
  "check-webhooks",
  { every: env.WEBHOOK_CHECK_MS },
  { name: "check-webhooks", data: {} },
);
await queue.upsertJobScheduler(
  "sweep-engagement",
  { every: env.SWEEP_MS },
  { name: "sweep-engagement", data: {} },
);
// The first webhook check runs now rather than one interval after start.
await writes.add("check-webhooks", {}, { jobId: safeJobId("check-webhooks", "start", Date.now()) });
