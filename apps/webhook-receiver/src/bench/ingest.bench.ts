/**
 * Webhook ingestion benchmark: the real receiver against two references measured in the same
 * run on the same machine — plain Express answering 200 with no work, and a naive handler that
 * awaits one queue.add per request. For each: peak requests per second (64 connections), then
 * p99 latency at 80 % of that peak. Every request carries a distinct delivery, and afterwards the
 * receiver's inbox rows are counted: every 2xx must be a stored row. Prints figures, asserts
 * nothing (performance is reported, not tested).
 *
 * BENCH_SECONDS (default 10) per phase, BENCH_CONNECTIONS (default 64).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import autocannon from "autocannon";
import { Queue } from "bullmq";
import { Redis } from "ioredis";

import { createPrismaClient, purgeConnections } from "@ml-connector/db";

const HERE = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const PREFIX = `mlc-bench-ingest-${process.pid}`;

type TServer = { child: ChildProcess; url: string };
type TRun = { rps: number; p50: number; p99: number; ok: number; non2xx: number; errors: number };

async function startServer(mode: string): Promise<TServer> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(HERE, "bench-server.ts"), mode],
    { env: { ...process.env, BENCH_QUEUE_PREFIX: PREFIX }, stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  const { port, path } = JSON.parse(line) as { port: number; path: string };

  return { child, url: `http://127.0.0.1:${port}${path}` };
}

let counter = 0;
/** A distinct subscribe delivery per request, form-encoded as Mailchimp sends it. */
function delivery(): string {
  counter += 1;
  const email = `bench-${process.pid}-${counter}@acme-industrial.com`;

  return new URLSearchParams({
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
  }).toString();
}

async function load(url: string, seconds: number, overallRate?: number): Promise<TRun> {
  const result = await autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    overallRate,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: delivery() }),
      },
    ],
  });

  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function measure(mode: string) {
  const server = await startServer(mode);
  try {
    await load(server.url, 2); // warm-up: JIT, connection pools, the endpoint cache
    const peak = await load(server.url, SECONDS);
    const at80 = await load(server.url, SECONDS, Math.max(1, Math.round(peak.rps * 0.8)));

    return { mode, url: server.url, peak, at80 };
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  }
}

const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
const results = [];
for (const mode of ["plain", "naive", "receiver"]) results.push(await measure(mode));

const receiver = results.find((entry) => entry.mode === "receiver")!;
const connectionId = /\/webhooks\/mailchimp\/([^/]+)\//.exec(receiver.url)![1]!;
const rows = await prisma.webhookInbox.count({ where: { connectionId } });
const acknowledged = receiver.peak.ok + receiver.at80.ok;
await purgeConnections(prisma, [connectionId]);
await prisma.$disconnect();
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
for (const name of ["webhook-naive", "webhook-event"]) {
  const queue = new Queue(name, { connection: redis, prefix: PREFIX });
  await queue.obliterate({ force: true });
  await queue.close();
}
redis.disconnect();

const naive = results.find((entry) => entry.mode === "naive")!;
console.log(`\nWebhook ingestion, ${CONNECTIONS} connections, ${SECONDS} s per phase`);
console.log(
  "server    | peak req/s | p50 at peak | p99 at peak | p99 at 80 % of peak | 2xx / non-2xx / errors",
);
for (const entry of results) {
  console.log(
    `${entry.mode.padEnd(9)} | ${entry.peak.rps.toFixed(0).padStart(10)} | ${`${entry.peak.p50} ms`.padStart(11)} | ${`${entry.peak.p99} ms`.padStart(11)} | ${`${entry.at80.p99} ms (at ${Math.round(entry.peak.rps * 0.8)} req/s)`.padStart(19)} | ${entry.peak.ok + entry.at80.ok} / ${entry.peak.non2xx + entry.at80.non2xx} / ${entry.peak.errors + entry.at80.errors}`,
  );
}
console.log(
  `\nreceiver / naive peak throughput: ${(receiver.peak.rps / naive.peak.rps).toFixed(2)}x (target >= 2x)`,
);
console.log(
  `receiver 2xx answers: ${acknowledged}; inbox rows stored: ${rows}; every 2xx durable: ${rows >= acknowledged}`,
);
