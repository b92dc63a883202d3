/**
 * Starts the receiver in-process on a free port against the machine's real Postgres (mlc_test)
 * and Redis, with a fresh connection whose secrets sit in a vault with a random master key.
 * Used by the integration and fuzz tests (and by nothing in production).
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";
import { Redis } from "ioredis";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, purgeConnections, type TPrisma } from "@ml-connector/db";
import { createProducer, type TProducer } from "@ml-connector/queues";
import { createLogger } from "@ml-connector/runtime";
import { MasterKeyring, createVault, type CredentialVault } from "@ml-connector/vault";

import { createReceiver, type TReceiver } from "../receiver.js";

export const DATABASE_URL =
  process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export type TReceiverHarness = {
  url: string;
  publicUrl: string;
  prisma: TPrisma;
  vault: CredentialVault;
  connections: ConnectionService;
  receiver: TReceiver;
  producer: TProducer<"webhookEvent">;
  prefix: string;
  /** Creates a connection; returns its id and list-webhook secret. */
  connection(options?: { mandrillKey?: string }): Promise<{ id: string; secret: string }>;
  inboxRows(connectionId: string): Promise<number>;
  close(): Promise<void>;
};

export async function startReceiverHarness(
  options: { mailchimpMaxBytes?: number; publicUrl?: string } = {},
): Promise<TReceiverHarness> {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 4 });
  const vault = createVault({
    prisma,
    keyring: new MasterKeyring(new Map([[1, randomBytes(32)]]), 1),
  });
  const connections = new ConnectionService(prisma, vault);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const prefix = `mlc-recv-${randomUUID().slice(0, 8)}`;
  const producer = createProducer("webhookEvent", redis, prefix);
  const log = createLogger({ service: "webhook-receiver-test", level: "silent" });
  const publicUrl = options.publicUrl ?? "https://hooks.example.com";
  const receiver = createReceiver({
    prisma,
    vault,
    producer,
    log,
    publicUrl,
    mailchimpMaxBytes: options.mailchimpMaxBytes ?? 65_536,
    mandrillMaxBytes: 1_048_576,
    maxBatch: 500,
    maxInFlight: 2,
    endpointCacheMs: 30_000,
  });
  const app = express();
  app.use(receiver.router);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const created: string[] = [];

  return {
    url: `http://127.0.0.1:${port}`,
    publicUrl,
    prisma,
    vault,
    connections,
    receiver,
    producer,
    prefix,
    async connection(connectionOptions = {}) {
      const id = `recv-${randomUUID().slice(0, 8)}`;
      created.push(id);
      await connections.create({
        id,
        name: "Receiver test plant",
        plex: { baseUrl: "http://127.0.0.1:1", auth: { scheme: "api_key", apiKey: "unused-key" } },
        mailchimp: {
          listId: "a1b2c3d4e5",
          auth: { scheme: "api_key", apiKey: "00000000000000000000000000000000-us21" },
        },
      });
      if (connectionOptions.mandrillKey !== undefined) {
        await vault.put(id, "mandrill_webhook_key", { key: connectionOptions.mandrillKey });
      }
      const secret = (await vault.get(id, "webhook_secret")).secret;

      return { id, secret };
    },
    async inboxRows(connectionId) {
      return prisma.webhookInbox.count({ where: { connectionId } });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await receiver.dispatcher.settled();
      await producer.queue.obliterate({ force: true }).catch(() => undefined);
      await producer.close();
      await purgeConnections(prisma, created);
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}

/** A subscribe delivery as Mailchimp form-encodes it (reference mailchimp-api.md §5.1). */
export function subscribeForm(email: string, extra: Record<string, string> = {}): string {
  const form = new URLSearchParams({
    type: "subscribe",
    fired_at: "2026-12-03 10:15:02",
    "data[id]": "8a25ff1d98",
    "data[list_id]": "a1b2c3d4e5",
    "data[email]": email,
    "data[email_type]": "html",
    "data[merges][EMAIL]": email,
    "data[merges][FNAME]": "Ada",
    "data[merges][LNAME]": "Lovelace",
    "data[merges][ADDRESS][addr1]": "1 Main St",
    "data[merges][ADDRESS][city]": "Detroit",
    "data[ip_opt]": "10.20.10.30",
    ...extra,
  });

  return form.toString();
}
