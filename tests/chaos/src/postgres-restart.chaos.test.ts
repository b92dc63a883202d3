/**
 * PostgreSQL stopped (immediate mode, as a crash) and started again under the real, built
 * webhook-receiver and mailchimp-writer (issue #10, reliability-practice.md §5.3 R6). Postgres is
 * a private instance in a temporary directory with the project's migrations, so the machine's
 * shared one is never touched; Redis is the shared one under a queue prefix of our own.
 *
 * The guarantee judged: "a webhook answered 2xx is durable before the answer". While Postgres is
 * down every delivery must get 503 (Mailchimp retries those for 75 minutes), never 2xx and never a
 * crash; once Postgres is back the same processes must recover by themselves, and Mailchimp's
 * retries of the refused deliveries must then be stored, each exactly once.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, type TPrisma } from "@ml-connector/db";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { ROOT } from "./chaos-harness.js";

const FORM = "application/x-www-form-urlencoded";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** How long Postgres stays down; deliveries keep arriving throughout. */
const OUTAGE_MS = 8_000;

type TProcess = {
  name: string;
  port: number;
  child: ChildProcess;
  output: string[];
  exits: number;
};
type TAnswer = { status: number; outcome?: string; retryAfter: string | null };

/** Answers by HTTP status, e.g. { 503: 120 }; 0 stands for no answer at all. */
function countStatuses(answers: TAnswer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;

  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no free port");

  return address.port;
}

function postgresBin(): string {
  const base = "/usr/lib/postgresql";
  const version = existsSync(base)
    ? readdirSync(base).sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  if (version === undefined) throw new Error("PostgreSQL server binaries are not installed");

  return join(base, version, "bin");
}

/**
 * A throw-away PostgreSQL: data, socket and log inside one temporary directory. initdb refuses
 * to run as root, so as root the server runs as the postgres system user (as scripts/services.mjs
 * does for `npm start`).
 */
class PrivatePostgres {
  readonly dir = mkdtempSync(join(tmpdir(), "mlc-chaos-pg-"));
  private readonly bin = postgresBin();
  private readonly asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];

  constructor(readonly port: number) {
    if (this.asPostgres.length > 0) spawnSync("chown", ["postgres:postgres", this.dir]);
  }

  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  init(): void {
    this.exec("initdb", ["-D", this.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "-N"]);
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`;
    this.exec("pg_ctl", [
      "-D",
      this.data,
      "-l",
      join(this.dir, "server.log"),
      "-w",
      "start",
      "-o",
      options,
    ]);
  }

  /** Immediate mode: the postmaster and every backend quit at once, no checkpoint (a crash). */
  stopImmediately(): void {
    this.exec("pg_ctl", ["-D", this.data, "-w", "stop", "-m", "immediate"]);
  }

  createDatabase(name: string): void {
    this.exec("createdb", ["-h", "127.0.0.1", "-p", String(this.port), "-U", "postgres", name]);
  }

  /** Stops the server if it runs (pg_ctl refuses root too) and deletes every file it had. */
  remove(): void {
    this.run("pg_ctl", ["-D", this.data, "-w", "stop", "-m", "immediate"]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get data(): string {
    return join(this.dir, "data");
  }

  private run(command: string, args: string[]) {
    const [head, ...rest] = [...this.asPostgres, join(this.bin, command), ...args];

    return spawnSync(head!, rest, { encoding: "utf8" });
  }

  private exec(command: string, args: string[]): void {
    const result = this.run(command, args);
    if (result.status !== 0) {
      throw new Error(`${command} failed (${result.status}): ${result.stderr}${result.stdout}`);
    }
  }
}

/** A subscribe delivery, form-encoded the way Mailchimp sends it (mailchimp-api.md §5.1). */
function subscribeForm(email: string): string {
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
  }).toString();
}

describe("PostgreSQL crashed and restarted under the webhook receiver", () => {
  let postgres: PrivatePostgres;
  const databaseUrl = () => postgres.url("mlc_chaos");
  const masterKey = randomBytes(32);
  const connectionId = `chaos-pg-${randomUUID().slice(0, 8)}`;
  const prefix = `mlc-chaos-pg-${randomUUID().slice(0, 6)}`;
  const processes: TProcess[] = [];
  let prisma: TPrisma;
  let secret: string;
  let receiver: TProcess;
  let writer: TProcess;
  let emails = 0;

  async function startProcess(name: string): Promise<TProcess> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      REDIS_URL,
      DATABASE_URL: databaseUrl(),
      QUEUE_PREFIX: prefix,
      MASTER_KEYS: `1:${masterKey.toString("base64")}`,
      MASTER_KEY_CURRENT: "1",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(port),
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT_MS: "2000",
      WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Short, so lookups of the connection also meet the outage, not only inbox writes.
      ENDPOINT_CACHE_MS: "2000",
    };
    const child = spawn(process.execPath, [join(ROOT, "apps", name, "dist", "main.js")], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const running: TProcess = { name, port, child, output: [], exits: 0 };
    child.stdout?.on("data", (chunk: Buffer) => running.output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => running.output.push(chunk.toString()));
    child.on("exit", () => (running.exits += 1));
    processes.push(running);
    for (let waited = 0; waited < 30_000; waited += 200) {
      if ((await readyz(running)) === 200) return running;
      await sleep(200);
    }
    throw new Error(`${name} did not become ready:\n${running.output.join("")}`);
  }

  async function readyz(running: TProcess, path = "/readyz"): Promise<number> {
    return fetch(`http://127.0.0.1:${running.port}${path}`).then(
      (res) => res.status,
      () => 0,
    );
  }

  function nextEvent(phase: string): string {
    emails += 1;

    return `${phase}-${emails}.${connectionId}@acme-industrial.com`;
  }

  async function deliver(email: string): Promise<TAnswer> {
    const url = `http://127.0.0.1:${receiver.port}/webhooks/mailchimp/${connectionId}/${secret}`;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": FORM },
      body: subscribeForm(email),
    }).catch(() => undefined);
    // No answer at all (the process died, the connection was cut) counts as status 0.
    if (res === undefined) return { status: 0, retryAfter: null };
    const body = (await res.json().catch(() => ({}))) as { status?: string };

    return { status: res.status, outcome: body.status, retryAfter: res.headers.get("retry-after") };
  }

  beforeAll(async () => {
    postgres = new PrivatePostgres(await freePort());
    postgres.init();
    postgres.start();
    postgres.createDatabase("mlc_chaos");
    const migrate = spawnSync("pnpm", ["--filter", "@ml-connector/db", "db:migrate"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl() },
      encoding: "utf8",
    });
    if (migrate.status !== 0)
      throw new Error(`migrations failed:\n${migrate.stdout}${migrate.stderr}`);

    prisma = createPrismaClient({ databaseUrl: databaseUrl(), poolMax: 2 });
    const vault = createVault({ prisma, keyring: new MasterKeyring(new Map([[1, masterKey]]), 1) });
    await new ConnectionService(prisma, vault).create({
      id: connectionId,
      name: "Postgres outage plant",
      plex: {
        baseUrl: "http://127.0.0.1:1",
        auth: { scheme: "api_key", apiKey: "unused-plex-key" },
      },
      mailchimp: {
        listId: "a1b2c3d4e5",
        auth: { scheme: "api_key", apiKey: "00000000000000000000000000000000-us21" },
      },
    });
    secret = (await vault.get(connectionId, "webhook_secret")).secret;

    receiver = await startProcess("webhook-receiver");
    writer = await startProcess("mailchimp-writer");
  });

  afterAll(async () => {
    for (const running of processes) running.child.kill("SIGKILL");
    await prisma?.$disconnect().catch(() => undefined);
    postgres?.remove();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("answers 503 while Postgres is down, recovers by itself and loses no delivery", async () => {
    // Before: deliveries are stored and answered 200.
    const before = Array.from({ length: 20 }, () => nextEvent("before"));
    const beforeAnswers = await Promise.all(before.map((email) => deliver(email)));
    expect(beforeAnswers.map((answer) => answer.status)).toEqual(before.map(() => 200));
    expect(await prisma.webhookInbox.count({ where: { connectionId } })).toBe(20);
    await prisma.$disconnect();

    // Outage: a crash of Postgres, deliveries keep coming, three at a time every 200 ms.
    postgres.stopImmediately();
    const refused: string[] = [];
    const outageAnswers: TAnswer[] = [];
    const readiness = {
      receiver: new Set<number>(),
      writer: new Set<number>(),
      health: new Set<number>(),
    };
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      const emailsNow = [nextEvent("outage"), nextEvent("outage"), nextEvent("outage")];
      const answers = await Promise.all(emailsNow.map((email) => deliver(email)));
      answers.forEach((answer, index) => {
        outageAnswers.push(answer);
        if (answer.status === 503) refused.push(emailsNow[index]!);
      });
      readiness.receiver.add(await readyz(receiver));
      readiness.writer.add(await readyz(writer));
      readiness.health.add(await readyz(receiver, "/healthz"));
      await sleep(200);
    }

    for (const running of processes) {
      expect(running.exits, `${running.name} exited:\n${running.output.join("")}`).toBe(0);
    }
    expect(outageAnswers.length).toBeGreaterThanOrEqual(60);
    expect(countStatuses(outageAnswers)).toEqual({ 503: outageAnswers.length });
    expect(outageAnswers.every((answer) => answer.retryAfter !== null)).toBe(true);
    expect([...readiness.receiver]).toEqual([503]);
    expect([...readiness.writer]).toEqual([503]);
    // Liveness has no dependencies: an outage must not get a healthy pod restarted.
    expect([...readiness.health]).toEqual([200]);

    // Recovery: Postgres back, the same processes answer again without being restarted.
    postgres.start();
    const restartedAt = Date.now();
    const recovery: { email: string; answer: TAnswer }[] = [];
    while (recovery.at(-1)?.answer.status !== 200) {
      expect(Date.now() - restartedAt, "the receiver did not recover within 20 s").toBeLessThan(
        20_000,
      );
      const email = nextEvent("recovery");
      recovery.push({ email, answer: await deliver(email) });
      if (recovery.at(-1)!.answer.status !== 200) await sleep(200);
    }
    const recoveredMs = Date.now() - restartedAt;
    expect(recovery.filter(({ answer }) => ![200, 503].includes(answer.status))).toEqual([]);
    for (const { email, answer } of recovery) if (answer.status === 503) refused.push(email);

    const after = Array.from({ length: 20 }, () => nextEvent("after"));
    const afterAnswers = await Promise.all(after.map((email) => deliver(email)));
    expect(afterAnswers.map((answer) => answer.outcome)).toEqual(after.map(() => "stored"));
    while ((await readyz(writer)) !== 200) {
      expect(Date.now() - restartedAt, "mailchimp-writer not ready again").toBeLessThan(20_000);
      await sleep(200);
    }
    const writerReadyMs = Date.now() - restartedAt;
    expect(await readyz(receiver)).toBe(200);

    // Mailchimp retries what was refused: every one stored now (none was stored before).
    const retried = await Promise.all(refused.map((email) => deliver(email)));
    expect(retried.map((answer) => answer.outcome)).toEqual(refused.map(() => "stored"));
    // A retry of a delivery already answered 200 stays one row.
    const again = await Promise.all(before.slice(0, 5).map((email) => deliver(email)));
    expect(again.map((answer) => answer.outcome)).toEqual(
      before.slice(0, 5).map(() => "duplicate"),
    );

    // Every delivery that was answered 2xx is in the inbox exactly once, and nothing else is.
    const accepted = new Set([
      ...before,
      ...recovery.filter(({ answer }) => answer.status === 200).map(({ email }) => email),
      ...after,
      ...refused,
    ]);
    const rows = await prisma.$queryRaw<{ email: string; copies: bigint }[]>`
      SELECT payload->'data'->>'email' AS email, count(*) AS copies FROM webhook_inbox
      WHERE connection_id = ${connectionId} GROUP BY 1`;
    expect(rows.filter((row) => Number(row.copies) !== 1)).toEqual([]);
    expect(rows.map((row) => row.email).sort()).toEqual([...accepted].sort());

    for (const running of processes) {
      expect(running.exits, `${running.name} exited`).toBe(0);
      expect(running.child.exitCode).toBeNull();
    }
    const output = processes.map((running) => running.output.join("")).join("");
    // Both ways the outage meets a request were taken: the inbox write and, once the cached
    // connection expired, the connection lookup.
    expect(output).toContain("webhook delivery not stored");
    expect(output).toContain("webhook connection lookup failed");
    for (const value of [secret, masterKey.toString("base64"), "unused-plex-key"]) {
      expect(output.includes(value), "a secret in a service log").toBe(false);
    }
    console.log(
      `postgres outage: ${outageAnswers.length} deliveries during ${OUTAGE_MS} ms, all 503; ` +
        `receiver answered 200 again ${recoveredMs} ms after the restart ` +
        `(${recovery.length - 1} more 503 meanwhile), ` +
        `mailchimp-writer ready after ${writerReadyMs} ms; ` +
        `${refused.length} refused deliveries re-sent and stored; ${rows.length} inbox rows`,
    );
  });
});
