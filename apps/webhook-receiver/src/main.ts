/**
 * webhook-receiver entry point: Mailchimp list webhooks and Mandrill webhooks, each stored in the
 * webhook inbox before it is answered, then queued for plex-writeback. See README.md.
 */
import { createProducer } from "@ml-connector/queues";
import { bootService, closeRedis, configOrExit, createRedis } from "@ml-connector/runtime";
import { createVault, loadMasterKeyring } from "@ml-connector/vault";

import { ZEnv } from "./env.js";
import { createReceiver } from "./receiver.js";

const { env, host, log, prisma } = bootService("webhook-receiver", ZEnv);
const keyring = configOrExit("webhook-receiver", () => loadMasterKeyring(process.env));
const vault = createVault({ prisma, keyring, logger: log });

// A fail-fast connection: while Redis is down, queueing fails at once and the sweeper catches up
// later, instead of requests piling up behind a reconnecting client.
const producerRedis = createRedis(env.REDIS_URL, "producer", log, "webhook-receiver-producer");
const producer = createProducer("webhookEvent", producerRedis, env.QUEUE_PREFIX);
const receiver = createReceiver({
  prisma,
  vault,
  producer,
  log,
  publicUrl: env.WEBHOOK_PUBLIC_URL,
  mailchimpMaxBytes: env.WEBHOOK_MAX_BODY_BYTES,
  mandrillMaxBytes: env.MANDRILL_MAX_BODY_BYTES,
  maxBatch: env.INBOX_MAX_BATCH,
  maxInFlight: env.INBOX_MAX_IN_FLIGHT,
  endpointCacheMs: env.ENDPOINT_CACHE_MS,
});
host.app.use(receiver.router);

// Deliveries are durable in Postgres alone; without Redis they are queued later by the sweeper.
// So readiness does not depend on Redis here, and an outage does not take the intake offline.
host.addReadinessCheck("redis", () => Promise.resolve());
host.onShutdown("queues", "inbox dispatcher", async () => {
  await receiver.dispatcher.settled();
  await producer.close();
});
host.onShutdown("connections", "producer redis", () => closeRedis(producerRedis));

await host.start();
