/**
 * One server of the ingestion benchmark, in its own process so each gets the same CPU:
 * - plain:    Express answering 200 to every POST, no work at all (the ceiling);
 * - naive:    Express parsing the form and awaiting one BullMQ queue.add per request (the common
 *             "queue it and answer" handler, durable only in Redis);
 * - receiver: the real webhook receiver (secret check, strict parsing, group-committed Postgres
 *             inbox, jobs queued after the commit).
 * Prints one JSON line {port, path} when listening; stops on SIGTERM.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { Queue } from "bullmq";
import express, { type Express } from "express";
import { Redis } from "ioredis";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient } from "@ml-connector/db";
import { createProducer } from "@ml-connector/queues";
import { createLogger } from "@ml-connector/runtime";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { createReceiver } from "../receiver.js";

const mode = process.argv[2];
const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = process.env.BENCH_QUEUE_PREFIX ?? "mlc-bench-ingest";

async function build(): Promise<{ app: Express; path: string; close: () => Promise<void> }> {
  const app = express();
  if (mode === "plain") {
    app.post("/hook", (_req, res) => {
      res.status(200).json({ status: "ok" });
    });

    return { app, path: "/hook", close: () => Promise.resolve() };
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  if (mode === "naive") {
    const queue = new Queue("webhook-naive", { connection: redis, prefix: PREFIX });
    app.post("/hook", express.urlencoded({ extended: true, limit: "64kb" }), async (req, res) => {
      await queue.add("event", req.body as unknown);
      res.status(200).json({ status: "queued" });
    });

    return { app, path: "/hook", close: () => queue.close() };
  }

  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 4 });
  const vault = createVault({
    prisma,
    keyring: new MasterKeyring(new Map([[1, randomBytes(32)]]), 1),
  });
  const connectionId = `bench-recv-${randomUUID().slice(0, 8)}`;
  await new ConnectionService(prisma, vault).create({
    id: connectionId,
    name: "Ingestion benchmark",
    plex: { baseUrl: "http://127.0.0.1:1", auth: { scheme: "api_key", apiKey: "bench-key" } },
    mailchimp: {
      listId: "a1b2c3d4e5",
      auth: { scheme: "api_key", apiKey: "00000000000000000000000000000000-us21" },
    },
  });
  const secret = (await vault.get(connectionId, "webhook_secret")).secret;
  const producer = createProducer("webhookEvent", redis, PREFIX);
  const receiver = createReceiver({
    prisma,
    vault,
    producer,
    log: createLogger({ service: "bench-receiver", level: "silent" }),
    publicUrl: "http://localhost",
    mailchimpMaxBytes: 65_536,
    mandrillMaxBytes: 1_048_576,
    maxBatch: 500,
    maxInFlight: Number(process.env.BENCH_INBOX_IN_FLIGHT ?? 2),
    endpointCacheMs: 30_000,
  });
  app.use(receiver.router);

  return {
    app,
    path: `/webhooks/mailchimp/${connectionId}/${secret}`,
    close: async () => {
      const { flushes, rows, largestBatch } = receiver.inbox.stats;
      process.stderr.write(
        `receiver inbox: ${rows} rows in ${flushes} INSERTs (${(rows / Math.max(1, flushes)).toFixed(1)} a commit, largest ${largestBatch}); ${receiver.dispatcher.stats.jobs} process-inbox jobs\n`,
      );
      await receiver.dispatcher.settled();
      await producer.close();
      await prisma.$disconnect();
    },
  };
}

const built = await build();
const server = http.createServer(built.app);
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port, path: built.path })}\n`);
});
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  void built.close().finally(() => process.exit(0));
});
