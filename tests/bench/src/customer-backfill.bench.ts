/**
 * Customer backfill benchmark (issue #5). Backfills BENCH_CUSTOMERS (default 100 000) Plex
 * customers with their contacts into Mailchimp under the simulators' default latency model, and
 * prints members per second next to two references measured in the same run:
 * - naive: one PUT per member, 10 in flight (a sample of BENCH_NAIVE_SAMPLE members);
 * - ceiling: the model's best case, 10 connections each sending 500-member batch subscribes.
 * Also prints Plex calls per synced customer and each process's peak memory.
 *
 *   pnpm --filter @ml-connector/bench bench        (needs Redis, Postgres and a built workspace)
 */
import { randomBytes, randomUUID } from "node:crypto";

import { Redis } from "ioredis";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import {
  MailchimpClient,
  batchSubscribe,
  subscriberHash,
  upsertMember,
} from "@ml-connector/mailchimp-client";
import { createProducer } from "@ml-connector/queues";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import {
  peakRssMiB,
  prepareDatabase,
  startApp,
  stopAll,
  type TBenchProcess,
} from "./bench-processes.js";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const NAIVE_SAMPLE = Number(process.env.BENCH_NAIVE_SAMPLE ?? 3_000);
const CEILING_BATCHES = Number(process.env.BENCH_CEILING_BATCHES ?? 40);
// Its own database by default, so a benchmark's rows never slow or confuse the test suites.
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_bench";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PLEX_PORT = 19091;
const MAILCHIMP_PORT = 19092;

const say = (line: string) => process.stdout.write(`${line}\n`);
const rate = (count: number, ms: number) => (count / ms) * 1_000;

async function control<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${MAILCHIMP_PORT}/_sandbox${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox control ${path} answered ${res.status}`);

  return (await res.json()) as T;
}

async function referenceClient() {
  const account = await control<{ id: string; apiKey: string }>("/accounts", {
    dc: "us21",
    name: "bench references",
  });
  const client = new MailchimpClient({
    auth: { scheme: "api_key", apiKey: account.apiKey },
    apiBaseTemplate: `http://127.0.0.1:${MAILCHIMP_PORT}/{dc}/3.0`,
    maxAttempts: 10,
  });
  const list = await control<{ id: string }>(`/accounts/${account.id}/lists`, { name: "bench" });

  return { client, listId: list.id };
}

const email = (run: string, index: number) => `buyer.${run}.${index}@northwind-components.com`;

/** One PUT per member, 10 in flight: what a simple integration does. */
async function measureNaive(): Promise<number> {
  const { client, listId } = await referenceClient();
  let next = 0;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < NAIVE_SAMPLE) {
        const address = email("naive", next);
        next += 1;
        await upsertMember(client, listId, subscriberHash(address), {
          email_address: address,
          status_if_new: "subscribed",
          merge_fields: { FNAME: "Naive" },
        });
      }
    }),
  );

  return rate(NAIVE_SAMPLE, Date.now() - startedAt);
}

/** 10 connections each sending 500-member batch subscribes: the latency model's best case. */
async function measureCeiling(): Promise<number> {
  const { client, listId } = await referenceClient();
  let next = 0;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < CEILING_BATCHES) {
        const batch = next;
        next += 1;
        const members = Array.from({ length: 500 }, (_, index) => ({
          email_address: email(`ceiling${batch}`, index),
          status: "subscribed" as const,
          merge_fields: { FNAME: "Ceiling" },
        }));
        await batchSubscribe(client, listId, members, false);
      }
    }),
  );

  return rate(CEILING_BATCHES * 500, Date.now() - startedAt);
}

async function main(): Promise<void> {
  const processes: TBenchProcess[] = [];
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 4 });
  const masterKey = randomBytes(32);
  const vault = createVault({ prisma, keyring: new MasterKeyring(new Map([[1, masterKey]]), 1) });
  const redis = new Redis(REDIS_URL);
  const prefix = `mlc-bench-${randomUUID().slice(0, 6)}`;
  const connectionId = `bench-${randomUUID().slice(0, 8)}`;

  try {
    say(`customer backfill benchmark: ${CUSTOMERS} customers, default latency model`);
    await prepareDatabase(DATABASE_URL);
    const plexSandbox = await startApp("plex-sandbox", PLEX_PORT, {
      PLEX_SANDBOX_CUSTOMERS: String(CUSTOMERS),
      PLEX_SANDBOX_SEED: "2026",
    });
    const mailchimpSandbox = await startApp("mailchimp-sandbox", MAILCHIMP_PORT, {});
    processes.push(plexSandbox, mailchimpSandbox);

    say(`measuring the naive reference (${NAIVE_SAMPLE} single PUTs, 10 in flight)…`);
    const naive = await measureNaive();
    say(`measuring the ceiling reference (${CEILING_BATCHES} batches of 500, 10 in flight)…`);
    const ceiling = await measureCeiling();

    const account = await control<{ id: string; apiKey: string }>("/accounts", {
      dc: "us21",
      name: "bench plant",
    });
    const list = await control<{ id: string }>(`/accounts/${account.id}/lists`, {
      name: "Plex customers",
    });
    await new ConnectionService(prisma, vault).create({
      id: connectionId,
      name: "Benchmark plant",
      mode: "sandbox",
      plex: {
        baseUrl: `http://127.0.0.1:${PLEX_PORT}`,
        auth: { scheme: "api_key", apiKey: "sandbox-plex-key" },
      },
      mailchimp: {
        apiBaseTemplate: `http://127.0.0.1:${MAILCHIMP_PORT}/{dc}/3.0`,
        listId: list.id,
        auth: { scheme: "api_key", apiKey: account.apiKey },
      },
    });
    const env = {
      REDIS_URL,
      DATABASE_URL,
      QUEUE_PREFIX: prefix,
      MASTER_KEYS: `1:${masterKey.toString("base64")}`,
      MASTER_KEY_CURRENT: "1",
      // The bench triggers the polls itself.
      SCHEDULE_RECONCILE_MS: "3600000",
    };
    const poller = await startApp("plex-poller", 19081, env);
    const writer = await startApp("mailchimp-writer", 19082, env);
    processes.push(poller, writer);
    await redis.del(`${prefix}:plex-budget`);

    const polls = createProducer("plexPoll", redis, prefix);
    const startedAt = Date.now();
    // Contacts first, so each customer is written once, with its contacts.
    const contactsJob = await polls.queue.add("poll-stream", {
      connectionId,
      stream: "contacts",
      trigger: "backfill",
    });
    while (!["completed", "failed"].includes(await contactsJob.getState())) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await polls.add("poll-stream", { connectionId, stream: "customers", trigger: "backfill" });

    let settled = 0;
    let lastPrint = 0;
    while (settled < CUSTOMERS) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      settled = await prisma.syncRecord.count({
        where: { connectionId, entity: "customer", status: { in: ["delivered", "rejected"] } },
      });
      const elapsed = Date.now() - startedAt;
      if (elapsed - lastPrint >= 5_000) {
        lastPrint = elapsed;
        const eta =
          settled === 0
            ? "?"
            : `${Math.round((((CUSTOMERS - settled) / settled) * elapsed) / 1_000)} s`;
        say(
          `  ${settled}/${CUSTOMERS} customers settled after ${(elapsed / 1_000).toFixed(0)} s (ETA ${eta})`,
        );
      }
      if (elapsed > 30 * 60_000) throw new Error("backfill did not finish in 30 minutes");
    }
    const elapsedMs = Date.now() - startedAt;
    const members = await prisma.identityLink.count({
      where: { connectionId, deliveredAt: { not: null } },
    });
    const plexStats = (await (
      await fetch(`http://127.0.0.1:${PLEX_PORT}/_sandbox/stats`)
    ).json()) as {
      totals: { calls: number };
    };
    const membersPerSecond = rate(members, elapsedMs);
    await polls.close();

    say("");
    say("| figure | value |");
    say("|---|---|");
    say(`| customers backfilled | ${CUSTOMERS} in ${(elapsedMs / 1_000).toFixed(1)} s |`);
    say(`| members delivered | ${members} |`);
    say(`| **members per second (ml-connector)** | **${membersPerSecond.toFixed(0)}** |`);
    say(`| naive reference (1 PUT per member, 10 in flight) | ${naive.toFixed(0)} members/s |`);
    say(`| ceiling reference (10 × 500-member batches) | ${ceiling.toFixed(0)} members/s |`);
    say(`| ratio to naive (target ≥ 40×) | ${(membersPerSecond / naive).toFixed(1)}× |`);
    say(`| share of the ceiling | ${((membersPerSecond / ceiling) * 100).toFixed(0)} % |`);
    say(
      `| Plex calls | ${plexStats.totals.calls} (${(plexStats.totals.calls / CUSTOMERS).toFixed(4)} per customer) |`,
    );
    for (const entry of processes) {
      say(`| peak memory ${entry.name} | ${peakRssMiB(entry)?.toFixed(0) ?? "?"} MiB |`);
    }
    say("");
    say(
      "Tag changes and e-commerce customers go through /batches (200 operations/s per account in",
    );
    say("the model) and finish after the members; they are not counted in members per second.");
  } finally {
    await stopAll(processes);
    await purgeConnections(prisma, [connectionId]).catch(() => undefined);
    await prisma.$disconnect();
    await redis.quit();
  }
}

await main();
