/**
 * mailchimp-writer entry point: delivers mapped records to Mailchimp from the mailchimp-write
 * queue. See README.md.
 */
import { ConnectionService } from "@ml-connector/connections";
import { createProducer } from "@ml-connector/queues";
import { bootService, configOrExit } from "@ml-connector/runtime";
import { createVault, loadMasterKeyring } from "@ml-connector/vault";

import { ZEnv } from "./env.js";
import { writerHandlers } from "./processors/mailchimp-write.processor.js";

const { env, host, log, prisma } = bootService("mailchimp-writer", ZEnv);
const keyring = configOrExit("mailchimp-writer", () => loadMasterKeyring(process.env));
const vault = createVault({ prisma, keyring, logger: log });
const writes = createProducer("mailchimpWrite", host.queueConnection, env.QUEUE_PREFIX);

host.addWorker({
  queueKey: "mailchimpWrite",
  concurrency: env.WRITE_CONCURRENCY,
  handlers: writerHandlers({
    connections: new ConnectionService(prisma, vault),
    vault,
    prisma,
    redis: host.redis,
    prefix: env.QUEUE_PREFIX,
    writes,
  }),
});
host.onShutdown("queues", "write producer", () => writes.close());

await host.start();
