/**
 * Test harness: the console's Express app mounted exactly as main.ts mounts it, on a real port,
 * with the real Postgres test database, a real vault and real Redis.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";

import { Queue } from "bullmq";
import express from "express";
import { Redis } from "ioredis";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, type TPrisma } from "@ml-connector/db";
import { createLogger } from "@ml-connector/runtime";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { mountConsole, type TConsoleOptions } from "./console.routes.js";

export const OPERATOR_PASSWORD = "operator-password-42";

export async function startConsoleForTest(
  overrides: Partial<Pick<TConsoleOptions, "mailchimpOAuthApp">> = {},
) {
  const databaseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prisma: TPrisma = createPrismaClient({ databaseUrl, poolMax: 4 });
  const vault = createVault({
    prisma,
    keyring: new MasterKeyring(new Map([[1, randomBytes(32)]]), 1),
  });
  const redis = new Redis(redisUrl);
  const prefix = `mlc-console-test-${randomUUID().slice(0, 6)}`;
  const queue = new Queue("plex-poll", { connection: { url: redisUrl }, prefix });
  const lines: string[] = [];
  const syncRequests: { connectionId: string; streams: string[] }[] = [];
  const writeRequests: { connectionId: string; entity: string; externalIds: string[] }[] = [];
  const log = createLogger({
    service: "console-test",
    level: "debug",
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    }),
  });

  const app = express();
  mountConsole(app, {
    auth: { username: "admin", password: OPERATOR_PASSWORD, sessionSecret: "x".repeat(43) },
    sessionHours: 1,
    secureCookies: false,
    queues: [queue],
    bullBoardWritable: false,
    connections: new ConnectionService(prisma, vault),
    clientDeps: { vault, redis, prefix, log, maxAttempts: 2 },
    mailchimpOAuthApp: overrides.mailchimpOAuthApp,
    prisma,
    enqueueWrites: (connectionId, entity, externalIds) => {
      writeRequests.push({ connectionId, entity, externalIds });

      return Promise.resolve();
    },
    syncNow: (connectionId, streams) => {
      syncRequests.push({ connectionId, streams });

      return Promise.resolve(streams.map((stream) => `sync-now-${connectionId}-${stream}`));
    },
    log,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const basic = `Basic ${Buffer.from(`admin:${OPERATOR_PASSWORD}`).toString("base64")}`;

  return {
    base,
    basic,
    prisma,
    vault,
    logs: () => lines.join(""),
    syncRequests,
    writeRequests,
    /** JSON call as an authenticated script. */
    async api(method: string, path: string, body?: unknown) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: basic, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();

      return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await queue.close();
      await redis.quit();
      await prisma.$disconnect();
    },
  };
}
