/**
 * plex-poller entry point: reads each connection's Plex streams on their schedules and hands
 * changed records to the mailchimp-write queue. See README.md.
 */
import { ConnectionService } from "@ml-connector/connections";
import { createProducer } from "@ml-connector/queues";
import { bootService, configOrExit } from "@ml-connector/runtime";
import { createVault, loadMasterKeyring } from "@ml-connector/vault";

import { ZEnv } from "./env.js";
import { pollStreamHandler } from "./processors/plex-poll.processor.js";
import { ScheduleReconciler } from "./schedules/schedule.reconciler.js";
import { StrandedRecordSweeper } from "./schedules/stranded.sweeper.js";

const { env, host, log, prisma } = bootService("plex-poller", ZEnv);
const keyring = configOrExit("plex-poller", () => loadMasterKeyring(process.env));
const vault = createVault({ prisma, keyring, logger: log });
const connections = new ConnectionService(prisma, vault);
const writes = createProducer("mailchimpWrite", host.queueConnection, env.QUEUE_PREFIX);
host.metrics.watchQueues([writes.queue]);

host.addWorker({
  queueKey: "plexPoll",
  concurrency: env.POLL_CONCURRENCY,
  handlers: {
    "poll-stream": pollStreamHandler({
      connections,
      vault,
      prisma,
      redis: host.redis,
      prefix: env.QUEUE_PREFIX,
      writes,
      maxRowsPerWindow: env.POLL_MAX_ROWS_PER_WINDOW,
      orderReadsPerRun: env.ORDER_READS_PER_RUN,
    }),
  },
});
const reconciler = new ScheduleReconciler(
  host.queue("plexPoll"),
  connections,
  log,
  env.SCHEDULE_RECONCILE_MS,
);
const sweeper = new StrandedRecordSweeper(
  {
    prisma,
    redis: host.redis,
    prefix: env.QUEUE_PREFIX,
    polls: host.queue("plexPoll"),
    writes,
    log,
  },
  { intervalMs: env.RECORD_SWEEP_MS, strandedAfterMs: env.STRANDED_AFTER_MS },
);
host.onShutdown("intake", "stream schedules", () => reconciler.stop());
host.onShutdown("intake", "stranded-record sweeps", () => sweeper.stop());
host.onShutdown("queues", "write producer", () => writes.close());

await host.start();
reconciler.start();
sweeper.start();
