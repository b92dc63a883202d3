/**
 * A flood against the real, built webhook-receiver (issue #10, reliability-practice.md §5.3 R2):
 * for FLOOD_MS, CONCURRENCY keep-alive connections send, as fast as the receiver answers, a fixed
 * mix of distinct deliveries, duplicates and hostile requests. The machine's Postgres (mlc_test)
 * and Redis are used under a connection id and queue prefix of our own, removed afterwards.
 *
 * The guarantees judged: every answer is the one DESIGN.md "Guarantees" names for the request
 * (no 5xx at all, duplicates 200, hostile ones 4xx); every delivery answered 200 is in the inbox
 * exactly once and nothing else is; memory stays bounded; the process lives; no secret is logged.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { DATABASE_URL, ROOT } from "./chaos-harness.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const FORM = "application/x-www-form-urlencoded";
const FLOOD_MS = 60_000;
const CONCURRENCY = 50;
/**
 * The normal rate: a busy account's peak. An admin import or a mass clean of a 100 000-member
 * audience fires one list webhook per member, which Mailchimp sends over a few connections at
 * a few dozen per second; 50 deliveries per second is taken as a busy hour. The flood must
 * reach at least FLOOD_FACTOR times that, or it tested nothing.
 */
const NORMAL_RATE = 50;
const FLOOD_FACTOR = 5;
/**
 * Memory bounds, set from measured runs. RSS saw-tooths between V8 collections (about 180 to
 * 255 MiB at 800-1 500 requests/s); peaks were 254-257 MiB and the mean of the last 10 s stood
 * 28-41 MiB above that of the first 10 s in 35 s runs (25 MiB in a 60 s run, peak 265 MiB). A
 * 100 s run levelled off at a floor of about 220 MiB: the heap settling, not a leak. A leak of one request body per request would add
 * over 1 MiB/s and cross both bounds.
 */
const MAX_PEAK_RSS_MIB = 300;
const MAX_RSS_GROWTH_MIB = 60;

/**
 * One slot per request, repeated: 12 of 20 distinct deliveries, 3 duplicates, and one of each
 * hostile kind (a quarter of the traffic) with the answer each must get.
 */
const KINDS = [
  ...Array<"distinct">(12).fill("distinct"),
  ...Array<"duplicate">(3).fill("duplicate"),
  "oversized",
  "wrongType",
  "malformed",
  "unknownSecret",
  "badSignature",
] as const;
type TKind = (typeof KINDS)[number];
const EXPECTED: Record<TKind, number> = {
  distinct: 200,
  duplicate: 200,
  oversized: 413,
  wrongType: 415,
  malformed: 400,
  unknownSecret: 404,
  badSignature: 401,
};

type TResult = { kind: TKind; status: number; outcome?: string; email: string; ms: number };
type TRequest = {
  path: string;
  contentType: string;
  body: string;
  headers?: http.OutgoingHttpHeaders;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no free port");

  return address.port;
}

/** A subscribe delivery, form-encoded the way Mailchimp sends it (mailchimp-api.md §5.1). */
function subscribeForm(email: string, extra: Record<string, string> = {}): string {
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
    "data[ip_opt]": "10.20.10.30",
    ...extra,
  }).toString();
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));

  return match === null ? Number.NaN : Number(match[1]) / 1_024;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe("a webhook flood against the receiver process", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
  const masterKey = randomBytes(32);
  const mandrillKey = `mandrill-flood-${randomBytes(12).toString("hex")}`;
  const connectionId = `chaos-flood-${randomUUID().slice(0, 8)}`;
  const prefix = `mlc-chaos-flood-${randomUUID().slice(0, 6)}`;
  const output: string[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let child: ChildProcess;
  let port: number;
  let secret: string;
  let exits = 0;

  function send(request: TRequest): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      const req = http.request(
        {
          agent,
          host: "127.0.0.1",
          port,
          path: request.path,
          method: "POST",
          headers: {
            "content-type": request.contentType,
            "content-length": Buffer.byteLength(request.body),
            ...request.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on("error", () => resolve({ status: 0, body: "" }));
        },
      );
      // No answer at all (reset, refused) counts as status 0.
      req.on("error", () => resolve({ status: 0, body: "" }));
      req.end(request.body);
    });
  }

  beforeAll(async () => {
    const vault = createVault({ prisma, keyring: new MasterKeyring(new Map([[1, masterKey]]), 1) });
    await new ConnectionService(prisma, vault).create({
      id: connectionId,
      name: "Flood plant",
      plex: {
        baseUrl: "http://127.0.0.1:1",
        auth: { scheme: "api_key", apiKey: "unused-plex-key" },
      },
      mailchimp: {
        listId: "a1b2c3d4e5",
        auth: { scheme: "api_key", apiKey: "00000000000000000000000000000000-us21" },
      },
    });
    await vault.put(connectionId, "mandrill_webhook_key", { key: mandrillKey });
    secret = (await vault.get(connectionId, "webhook_secret")).secret;

    port = await freePort();
    child = spawn(process.execPath, [join(ROOT, "apps", "webhook-receiver", "dist", "main.js")], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL,
        DATABASE_URL,
        QUEUE_PREFIX: prefix,
        MASTER_KEYS: `1:${masterKey.toString("base64")}`,
        MASTER_KEY_CURRENT: "1",
        HTTP_HOST: "127.0.0.1",
        HTTP_PORT: String(port),
        LOG_LEVEL: "info",
        SHUTDOWN_TIMEOUT_MS: "2000",
        WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.on("exit", () => (exits += 1));
    for (let waited = 0; waited < 30_000; waited += 200) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (res) => res.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`webhook-receiver did not become ready:\n${output.join("")}`);
  });

  afterAll(async () => {
    agent.destroy();
    child?.kill("SIGKILL");
    await purgeConnections(prisma, [connectionId]);
    await prisma.$disconnect();
    const redis = new Redis(REDIS_URL);
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1_000 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
    await redis.quit();
  });

  it("answers each request as designed, stores accepted ones once, stays bounded", async () => {
    const mailchimpPath = (withSecret: string) =>
      `/webhooks/mailchimp/${connectionId}/${withSecret}`;
    const sent: string[] = [];
    let slot = 0;
    let hostile = 0;

    /** The next request of the mix; hostile ones carry e-mails that must never be stored. */
    function nextRequest(kind: TKind): { request: TRequest; email: string } {
      if (kind === "distinct" || (kind === "duplicate" && sent.length === 0)) {
        const email = `flood-${sent.length}.${connectionId}@acme-industrial.com`;
        sent.push(email);

        return {
          email,
          request: { path: mailchimpPath(secret), contentType: FORM, body: subscribeForm(email) },
        };
      }
      if (kind === "duplicate") {
        // Any delivery sent so far, often one still in flight: concurrent retries included.
        const email = sent[Math.floor(Math.random() * sent.length)]!;

        return {
          email,
          request: { path: mailchimpPath(secret), contentType: FORM, body: subscribeForm(email) },
        };
      }
      hostile += 1;
      const email = `hostile-${hostile}.${connectionId}@acme-industrial.com`;
      const form = subscribeForm(email);
      const opens = JSON.stringify([{ event: "open", ts: 1_764_756_902, msg: { email } }]);
      const requests: Record<Exclude<TKind, "distinct" | "duplicate">, TRequest> = {
        oversized: {
          path: mailchimpPath(secret),
          contentType: FORM,
          body: subscribeForm(email, { "data[merges][NOTES]": "x".repeat(70_000) }),
        },
        wrongType: {
          path: mailchimpPath(secret),
          contentType: "application/json",
          body: JSON.stringify({ email }),
        },
        malformed: {
          path: mailchimpPath(secret),
          contentType: FORM,
          body: `${form}&data[merges][FNAME=Ada`,
        },
        unknownSecret: {
          path: mailchimpPath(randomBytes(24).toString("hex")),
          contentType: FORM,
          body: form,
        },
        badSignature: {
          path: `/webhooks/mandrill/${connectionId}`,
          contentType: FORM,
          body: `mandrill_events=${encodeURIComponent(opens)}`,
          headers: { "x-mandrill-signature": randomBytes(20).toString("base64") },
        },
      };

      return { email, request: requests[kind] };
    }

    // Memory, sampled once a second while the flood runs.
    const rss: number[] = [rssMiB(child.pid!)];
    const sampler = setInterval(() => rss.push(rssMiB(child.pid!)), 1_000);
    const results: TResult[] = [];
    const startedAt = performance.now();
    const endsAt = startedAt + FLOOD_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < endsAt) {
          const kind = KINDS[slot % KINDS.length]!;
          slot += 1;
          const { request, email } = nextRequest(kind);
          const began = performance.now();
          const answer = await send(request);
          const ms = performance.now() - began;
          const outcome =
            answer.status === 200
              ? (JSON.parse(answer.body) as { status?: string }).status
              : undefined;
          results.push({ kind, status: answer.status, outcome, email, ms });
        }
      }),
    );
    const seconds = (performance.now() - startedAt) / 1_000;
    clearInterval(sampler);
    rss.push(rssMiB(child.pid!));

    // Every request got the answer its kind must get: no 5xx, no dropped connection.
    const wrong = results.filter((result) => result.status !== EXPECTED[result.kind]);
    const byStatus = (list: TResult[]) =>
      list.reduce<Record<string, number>>((counts, { kind, status }) => {
        counts[`${kind} ${status}`] = (counts[`${kind} ${status}`] ?? 0) + 1;

        return counts;
      }, {});
    expect(byStatus(wrong)).toEqual({});
    expect(results.filter((result) => result.status >= 500 || result.status === 0).length).toBe(0);
    for (const kind of new Set(KINDS)) {
      expect(results.filter((result) => result.kind === kind).length, kind).toBeGreaterThan(100);
    }

    // Each accepted delivery: one "stored" answer, every other copy "duplicate", one row.
    const answersByEmail = new Map<string, string[]>();
    for (const result of results) {
      if (result.kind !== "distinct" && result.kind !== "duplicate") continue;
      answersByEmail.set(result.email, [
        ...(answersByEmail.get(result.email) ?? []),
        result.outcome!,
      ]);
    }
    const notOnceStored = [...answersByEmail].filter(
      ([, outcomes]) =>
        outcomes.filter((outcome) => outcome === "stored").length !== 1 ||
        outcomes.some((outcome) => outcome !== "stored" && outcome !== "duplicate"),
    );
    expect(notOnceStored.length, JSON.stringify(notOnceStored.slice(0, 5))).toBe(0);
    const duplicates = results.filter((result) => result.outcome === "duplicate").length;
    expect(duplicates).toBeGreaterThan(100);

    const rows = await prisma.$queryRaw<{ email: string; source: string; copies: bigint }[]>`
      SELECT payload->'data'->>'email' AS email, source, count(*) AS copies FROM webhook_inbox
      WHERE connection_id = ${connectionId} GROUP BY 1, 2`;
    expect(rows.filter((row) => Number(row.copies) !== 1 || row.source !== "mailchimp")).toEqual(
      [],
    );
    expect(rows.length).toBe(answersByEmail.size);
    expect(rows.map((row) => row.email).sort()).toEqual([...answersByEmail.keys()].sort());
    expect(rows.filter((row) => row.email.startsWith("hostile-"))).toEqual([]);

    // Fast enough to have been a flood, quick enough for Mailchimp's 10 s timeout.
    const latencies = results.map((result) => result.ms).sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length * 0.5)]!;
    const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
    const rate = results.length / seconds;
    const peak = Math.max(...rss);
    const growth = mean(rss.slice(-10)) - mean(rss.slice(1, 11));
    console.log(
      `webhook flood: ${results.length} requests in ${seconds.toFixed(1)} s ` +
        `(${rate.toFixed(0)}/s, ${(rate / NORMAL_RATE).toFixed(0)}x normal), ` +
        `${answersByEmail.size} distinct stored, ${duplicates} duplicates, ${hostile} hostile; ` +
        `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
        `RSS start ${rss[0]!.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, ` +
        `growth first→last 10 s ${growth.toFixed(1)} MiB`,
    );
    expect(rate).toBeGreaterThan(NORMAL_RATE * FLOOD_FACTOR);
    expect(p99).toBeLessThan(2_000);
    expect(rss.length).toBeGreaterThanOrEqual(30);
    expect(peak).toBeLessThan(MAX_PEAK_RSS_MIB);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH_MIB);

    // Still alive and ready, and no secret in what it logged.
    expect(exits).toBe(0);
    expect(child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const logged = output.join("");
    for (const value of [secret, mandrillKey, masterKey.toString("base64")]) {
      expect(logged.includes(value), "a secret in the receiver's log").toBe(false);
    }
  });
});
