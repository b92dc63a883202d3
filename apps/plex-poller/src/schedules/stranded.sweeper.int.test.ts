import { randomBytes, randomUUID } from "node:crypto";

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { createProducer, type TProducer } from "@ml-connector/queues";
import { createLogger } from "@ml-connector/runtime";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { StrandedRecordSweeper } from "./stranded.sweeper.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("the stranded-record sweeper", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 3 });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `test-sweep-${randomUUID().slice(0, 6)}`;
  const connectionId = `sweep-${randomUUID().slice(0, 8)}`;
  let polls: Queue;
  let writes: TProducer<"mailchimpWrite">;
  let sweeper: StrandedRecordSweeper;

  const hourAgo = new Date(Date.now() - 3_600_000);
  const record = (externalId: string, entity: string, status: string, updatedAt: Date) => ({
    connectionId,
    entity,
    externalId,
    status,
    updatedAt,
  });

  beforeAll(async () => {
    const vault = createVault({
      prisma,
      keyring: new MasterKeyring(new Map([[1, randomBytes(32)]]), 1),
    });
    await new ConnectionService(prisma, vault).create({
      id: connectionId,
      name: "Sweep plant",
      mode: "sandbox",
      plex: { baseUrl: "http://127.0.0.1:9", auth: { scheme: "api_key", apiKey: "k".repeat(24) } },
      mailchimp: {
        apiBaseTemplate: "http://127.0.0.1:9/{dc}/3.0",
        listId: "list0001",
        auth: { scheme: "api_key", apiKey: `${"a".repeat(32)}-us1` },
      },
    });
    // What crashes and exhausted retries leave behind, next to records that are fine.
    await prisma.syncRecord.createMany({
      data: [
        record("C-QUEUED-OLD", "customer", "queued", hourAgo),
        record("C-RECEIVED-OLD", "customer", "received", hourAgo),
        record("SO-QUEUED-OLD", "order", "queued", hourAgo),
        record("C-QUEUED-NEW", "customer", "queued", new Date()),
        record("C-DELIVERED", "customer", "delivered", hourAgo),
        record("CT-RECEIVED-OLD", "contact", "received", hourAgo),
      ],
    });
    polls = new Queue("plex-poll", { connection: redis, prefix });
    writes = createProducer("mailchimpWrite", redis, prefix);
    sweeper = new StrandedRecordSweeper(
      { prisma, redis, prefix, polls, writes, log: createLogger({ service: "t", level: "warn" }) },
      { intervalMs: 1_000, strandedAfterMs: 15 * 60_000 },
    );
  });

  afterAll(async () => {
    await writes.queue.obliterate({ force: true });
    await polls.obliterate({ force: true });
    await Promise.all([writes.close(), polls.close()]);
    await purgeConnections(prisma, [connectionId]);
    await redis.quit();
    await prisma.$disconnect();
  });

  const waitForLock = () => new Promise((resolve) => setTimeout(resolve, 1_100));

  it("leaves records alone while a write job is still pending", async () => {
    await writes.add("provision", { connectionId }, { delay: 60_000 });

    expect(await sweeper.sweep()).toEqual({ skipped: "1 write jobs still pending" });
    const queued = await prisma.syncRecord.count({
      where: { connectionId, status: "queued", updatedAt: hourAgo },
    });
    expect(queued).toBe(2);
  });

  it("hands on old received and queued customers and orders once the queues are idle", async () => {
    await writes.queue.obliterate({ force: true });
    await waitForLock();

    const sweep = await sweeper.sweep();

    expect(sweep).toEqual({
      total: 3,
      handedOn: { [`${connectionId}/customer`]: 2, [`${connectionId}/order`]: 1 },
    });
    const jobs = await writes.queue.getJobs(["waiting"]);
    const handed = jobs.flatMap((job) => (job.data as { externalIds: string[] }).externalIds);
    expect(handed.sort()).toEqual(["C-QUEUED-OLD", "C-RECEIVED-OLD", "SO-QUEUED-OLD"]);
    const states = await prisma.syncRecord.findMany({
      where: { connectionId },
      select: { externalId: true, status: true },
      orderBy: { externalId: "asc" },
    });
    expect(Object.fromEntries(states.map((row) => [row.externalId, row.status]))).toEqual({
      "C-DELIVERED": "delivered",
      "C-QUEUED-NEW": "queued",
      "C-QUEUED-OLD": "queued",
      "C-RECEIVED-OLD": "queued",
      "CT-RECEIVED-OLD": "received",
      "SO-QUEUED-OLD": "queued",
    });
    const trail = await prisma.auditEvent.count({ where: { connectionId, stage: "replayed" } });
    expect(trail).toBe(3);
  });

  it("does not hand the same records on again in the next sweep", async () => {
    await writes.queue.obliterate({ force: true });
    await waitForLock();

    expect(await sweeper.sweep()).toEqual({ total: 0, handedOn: {} });
  });

  it("lets one replica sweep per interval", async () => {
    await waitForLock();
    const [first, second] = await Promise.all([sweeper.sweep(), sweeper.sweep()]);

    expect([first, second]).toContainEqual({ skipped: "another replica swept this interval" });
  });
});
