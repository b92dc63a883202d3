/**
 * Sales-order backfill benchmark (issue #6). A sandbox plant with BENCH_ORDERS (default 250 000)
 * sales orders is backfilled into the Mailchimp sandbox under the simulators' default latency
 * model (Plex 150 ms a call + 0.05 ms a row, 200 calls a minute; Mailchimp 120 ms a request,
 * /batches at 200 operations a second), by the real poller and writer processes:
 *   A. the order side is read (parts, orders, releases, shippers, AR invoices) and every order
 *      mapped, so each customer's order history exists before its member is written;
 *   B. customers and contacts are backfilled, each member written once, with its history;
 *   C. the orders of synced customers are sent, until every one Mailchimp can take is in.
 * Prints orders per second, Plex calls per order, what still waits for per-line price reads
 * (and what those will cost), and each process's peak memory.
 *
 *   pnpm --filter @ml-connector/bench bench:orders   (needs Redis, Postgres, a built workspace)
 */
import { randomBytes, randomUUID } from "node:crypto";

import { Redis } from "ioredis";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { MailchimpClient } from "@ml-connector/mailchimp-client";
import { PlexPlant } from "@ml-connector/plex-sandbox";
import { createProducer, type TPlexStream } from "@ml-connector/queues";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import {
  peakRssMiB,
  prepareDatabase,
  startApp,
  stopAll,
  type TBenchProcess,
} from "./bench-processes.js";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 250_000);
const SEED = 2026;
// Its own database, as the customer benchmark's, so its rows never reach the test suites.
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_bench";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PLEX_PORT = 19191;
const MAILCHIMP_PORT = 19192;
const STORE_ID = "plex-bench-store";
const LIMIT_MS = Number(process.env.BENCH_LIMIT_MINUTES ?? 90) * 60_000;

const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The smallest plant (customers) with at least ORDERS orders; orders per customer are seeded. */
function customersFor(orders: number): number {
  const plant = new PlexPlant({ seed: SEED, customers: 1 });
  let total = 0;
  let customers = 0;
  while (total < orders) {
    total += plant.orderCount(customers);
    customers += 1;
  }

  return customers;
}

async function control<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox control ${url} answered ${res.status}`);

  return (await res.json()) as T;
}

const plexCalls = async () =>
  (
    await control<{ totals: { calls: number } }>(
      "GET",
      `http://127.0.0.1:${PLEX_PORT}/_sandbox/stats`,
    )
  ).totals.calls;

async function main(): Promise<void> {
  const processes: TBenchProcess[] = [];
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 4 });
  const masterKey = randomBytes(32);
  const vault = createVault({ prisma, keyring: new MasterKeyring(new Map([[1, masterKey]]), 1) });
  const redis = new Redis(REDIS_URL);
  const prefix = `mlc-bench-${randomUUID().slice(0, 6)}`;
  const connectionId = `bench-orders-${randomUUID().slice(0, 8)}`;
  const benchStart = Date.now();
  const deadline = () => {
    if (Date.now() - benchStart > LIMIT_MS) throw new Error("the benchmark ran out of time");
  };

  try {
    await prepareDatabase(DATABASE_URL);
    const customers = customersFor(ORDERS);
    say(`order backfill benchmark: ${customers} customers, default latency model`);
    const plexSandbox = await startApp("plex-sandbox", PLEX_PORT, {
      PLEX_SANDBOX_CUSTOMERS: String(customers),
      PLEX_SANDBOX_SEED: String(SEED),
    });
    const mailchimpSandbox = await startApp("mailchimp-sandbox", MAILCHIMP_PORT, {});
    processes.push(plexSandbox, mailchimpSandbox);
    const state = await control<{ orders: number; releases: number; invoices: number }>(
      "GET",
      `http://127.0.0.1:${PLEX_PORT}/_sandbox/state`,
    );
    say(`plant: ${state.orders} orders, ${state.releases} releases, ${state.invoices} AR invoices`);

    const mailchimpBase = `http://127.0.0.1:${MAILCHIMP_PORT}`;
    const account = await control<{ id: string; apiKey: string }>(
      "POST",
      `${mailchimpBase}/_sandbox/accounts`,
      { dc: "us21", name: "bench plant" },
    );
    const list = await control<{ id: string }>(
      "POST",
      `${mailchimpBase}/_sandbox/accounts/${account.id}/lists`,
      { name: "Plex customers" },
    );
    await new ConnectionService(prisma, vault).create({
      id: connectionId,
      name: "Order benchmark plant",
      mode: "sandbox",
      plex: {
        baseUrl: `http://127.0.0.1:${PLEX_PORT}`,
        auth: { scheme: "api_key", apiKey: "sandbox-plex-key" },
      },
      mailchimp: {
        apiBaseTemplate: `${mailchimpBase}/{dc}/3.0`,
        listId: list.id,
        storeId: STORE_ID,
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
    processes.push(await startApp("plex-poller", 19181, env));
    processes.push(await startApp("mailchimp-writer", 19182, env));
    const polls = createProducer("plexPoll", redis, prefix);

    async function poll(streams: TPlexStream[]) {
      const jobs = await Promise.all(
        streams.map((stream) =>
          polls.queue.add("poll-stream", { connectionId, stream, trigger: "backfill" }),
        ),
      );
      for (const [index, job] of jobs.entries()) {
        for (;;) {
          const jobState = await job.getState();
          if (jobState === "completed") break;
          if (jobState === "failed") throw new Error(`poll ${streams[index]} failed`);
          deadline();
          await sleep(500);
        }
      }
    }
    const count = async (sql: string) =>
      Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(sql, connectionId))[0]?.n ?? 0);
    /** Waits until the writer has nothing left for the connection (batches collected too). */
    async function settled(label: string, startedAt: number) {
      let lastPrint = 0;
      for (;;) {
        const open = await count(
          `SELECT count(*) AS n FROM sync_records WHERE connection_id = $1
             AND status IN ('received', 'queued')`,
        );
        const batches = await count(
          `SELECT count(*) AS n FROM ecommerce_orders WHERE connection_id = $1
             AND batch_id IS NOT NULL`,
        );
        if (open === 0 && batches === 0) return;
        const elapsed = Date.now() - startedAt;
        if (elapsed - lastPrint >= 15_000) {
          lastPrint = elapsed;
          say(
            `  ${label}: ${open} records queued, ${batches} orders in open /batches jobs after ${seconds(elapsed)}`,
          );
        }
        deadline();
        await sleep(1_000);
      }
    }

    // A. The order side, read and mapped; every order waits for its customer.
    const startA = Date.now();
    const callsA = await plexCalls();
    await poll(["parts"]);
    await poll(["invoices", "shippers", "orders", "releases"]);
    await settled("order side", startA);
    const msA = Date.now() - startA;
    const plexA = (await plexCalls()) - callsA;
    say(`A. order side read and mapped in ${seconds(msA)} (${plexA} Plex calls)`);

    // B. Customers and contacts, each member written once, with its order history.
    const startB = Date.now();
    const callsB = await plexCalls();
    await poll(["contacts"]);
    await poll(["customers"]);
    await settled("customers", startB);
    const msB = Date.now() - startB;
    const plexB = (await plexCalls()) - callsB;
    const members = await count(
      `SELECT count(*) AS n FROM identity_links WHERE connection_id = $1
         AND delivered_at IS NOT NULL`,
    );
    say(`B. ${members} members written in ${seconds(msB)} (${plexB} Plex calls)`);

    // C. Orders of synced customers go out; those needing price reads beyond a run's allowance
    // wait for the next scheduled runs.
    const startC = Date.now();
    const callsC = await plexCalls();
    await poll(["orders"]);
    await settled("orders", startC);
    const msC = Date.now() - startC;
    const plexC = (await plexCalls()) - callsC;

    const client = new MailchimpClient({
      auth: { scheme: "api_key", apiKey: account.apiKey },
      apiBaseTemplate: `${mailchimpBase}/{dc}/3.0`,
    });
    const inMailchimp = (
      await client.get<{ total_items: number }>(`/ecommerce/stores/${STORE_ID}/orders`, {
        count: "1",
        fields: "total_items",
      })
    ).total_items;
    const outcome = await prisma.$queryRawUnsafe<{ status: string; code: string; n: bigint }[]>(
      `SELECT status, coalesce(split_part(reason, ':', 1), '') AS code, count(*) AS n
       FROM sync_records WHERE connection_id = $1 AND entity = 'order'
       GROUP BY 1, 2 ORDER BY 3 DESC`,
      connectionId,
    );
    const stats = await prisma.syncCursor.findUnique({
      where: { connectionId_stream: { connectionId, stream: "orders" } },
    });
    const run = (stats?.lastRunStats ?? {}) as { waiting?: number; readsWanted?: number };
    const waiting = run.waiting ?? 0;
    const readsWanted = run.readsWanted ?? 0;
    const orderCalls = plexA + plexC;
    const orderMs = msA + msC;
    await polls.close();

    say("");
    say("| figure | value |");
    say("|---|---|");
    say(`| sales orders in the plant | ${state.orders} (${customers} customers) |`);
    say(`| orders in Mailchimp | ${inMailchimp} |`);
    for (const row of outcome) {
      say(`| orders ${row.status}${row.code === "" ? "" : ` (${row.code})`} | ${row.n} |`);
    }
    say(`| orders waiting for per-line price reads | ${waiting} (${readsWanted} reads wanted) |`);
    say(`| A. order side read and mapped | ${seconds(msA)}, ${plexA} Plex calls |`);
    say(`| B. customers (${members} members) | ${seconds(msB)}, ${plexB} Plex calls |`);
    say(`| C. orders sent | ${seconds(msC)}, ${plexC} Plex calls |`);
    say(`| **orders per second** (A + C) | **${((inMailchimp / orderMs) * 1_000).toFixed(0)}** |`);
    say(
      `| **Plex calls per order** (A + C, all plant orders) | **${(orderCalls / state.orders).toFixed(4)}** (target ≤ 0.1) |`,
    );
    say(
      `| Plex calls per order once the waiting reads are done | ${((orderCalls + readsWanted) / state.orders).toFixed(4)} (${readsWanted} reads ≈ ${(readsWanted / 190 / 60).toFixed(1)} h of the 190/min budget) |`,
    );
    for (const entry of processes) {
      say(`| peak memory ${entry.name} | ${peakRssMiB(entry)?.toFixed(0) ?? "?"} MiB |`);
    }
    say("");
    say("Orders whose lines nothing has billed or shipped yet need one Plex read per line for");
    say("their price; the poller spends at most ORDER_READS_PER_RUN (100) such reads a run.");
  } finally {
    await stopAll(processes);
    await purgeConnections(prisma, [connectionId]).catch(() => undefined);
    await prisma.$disconnect();
    await redis.quit();
  }
}

await main();
