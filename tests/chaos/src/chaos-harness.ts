/**
 * The moving parts of a chaos test: both simulators in this process, the poller and the writer as
 * real processes that can be killed and restarted, a connection in the real database, and the
 * counts the guarantees are judged by.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Redis } from "ioredis";

import { ConnectionService } from "@ml-connector/connections";
import { createPrismaClient, purgeConnections, type TPrisma } from "@ml-connector/db";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";
import { createProducer } from "@ml-connector/queues";
import { MasterKeyring, createVault } from "@ml-connector/vault";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const DATABASE_URL =
  process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";

export type TService = {
  name: "plex-poller" | "mailchimp-writer" | "webhook-receiver" | "plex-writeback";
  port: number;
  child?: ChildProcess;
  output: string[];
};

export type TChaosOptions = {
  customers: number;
  redisUrl?: string;
  mailchimp?: Parameters<typeof startMailchimpSandbox>[0];
  plex?: Partial<Parameters<typeof startPlexSandbox>[0]>;
  portBase: number;
  /** The processes to run; the poller and the writer unless said otherwise. */
  apps?: TService["name"][];
  /** More environment for every process. */
  env?: Record<string, string>;
  /** How the connection reaches Plex: its API key (default) or OAuth client credentials. */
  plexAuth?: "api_key" | "oauth";
};

export class ChaosRig {
  readonly prisma: TPrisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 3 });
  readonly connectionId = `chaos-${randomUUID().slice(0, 8)}`;
  readonly prefix = `mlc-chaos-${randomUUID().slice(0, 6)}`;
  readonly masterKey = randomBytes(32);
  readonly services: TService[];
  plex!: TPlexSandboxHandle;
  mailchimp!: SandboxHandle;
  redisUrl: string;

  constructor(private readonly options: TChaosOptions) {
    this.redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    this.services = (options.apps ?? ["plex-poller", "mailchimp-writer"]).map((name, index) => ({
      name,
      port: options.portBase + 1 + index,
      output: [],
    }));
  }

  async start(): Promise<void> {
    this.plex = await startPlexSandbox({
      customers: this.options.customers,
      seed: 21,
      latency: { baseMs: 0, perRowMs: 0 },
      ...this.options.plex,
    });
    this.mailchimp = await startMailchimpSandbox({
      latency: { perRequestMs: 5, perBatchMemberMs: 0 },
      batches: { operationsPerSecond: 5_000 },
      ...this.options.mailchimp,
    });
    const vault = createVault({
      prisma: this.prisma,
      keyring: new MasterKeyring(new Map([[1, this.masterKey]]), 1),
    });
    await new ConnectionService(this.prisma, vault).create({
      id: this.connectionId,
      name: "Chaos plant",
      mode: "sandbox",
      plex: {
        baseUrl: this.plex.url,
        auth:
          this.options.plexAuth === "oauth"
            ? {
                scheme: "oauth_client_credentials",
                tokenUrl: this.plex.tokenUrl,
                clientId: this.plex.oauthClient.clientId,
                clientSecret: this.plex.oauthClient.clientSecret,
              }
            : { scheme: "api_key", apiKey: this.plex.apiKey },
      },
      mailchimp: {
        apiBaseTemplate: `${this.mailchimp.url}/{dc}/3.0`,
        listId: this.mailchimp.defaults!.listId,
        storeId: this.mailchimp.defaults!.storeId,
        auth: { scheme: "api_key", apiKey: this.mailchimp.defaults!.apiKey },
      },
    });
    for (const service of this.services) await this.startService(service);
  }

  serviceEnv(service: TService): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      REDIS_URL: this.redisUrl,
      DATABASE_URL,
      QUEUE_PREFIX: this.prefix,
      MASTER_KEYS: `1:${this.masterKey.toString("base64")}`,
      MASTER_KEY_CURRENT: "1",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(service.port),
      LOG_LEVEL: "info",
      SCHEDULE_RECONCILE_MS: "3600000",
      SHUTDOWN_TIMEOUT_MS: "2000",
      ...this.options.env,
    };
  }

  async startService(service: TService): Promise<void> {
    const child = spawn(process.execPath, [join(ROOT, "apps", service.name, "dist", "main.js")], {
      env: this.serviceEnv(service),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => service.output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => service.output.push(chunk.toString()));
    service.child = child;
    for (let waited = 0; waited < 30_000; waited += 200) {
      const ready = await fetch(`http://127.0.0.1:${service.port}/readyz`).then(
        (res) => res.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${service.name} did not become ready:\n${service.output.join("")}`);
  }

  /** SIGKILL: no shutdown, no hand-back; whatever it was doing is cut off. */
  async kill(service: TService): Promise<void> {
    const child = service.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async backfill(): Promise<void> {
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    const polls = createProducer("plexPoll", redis, this.prefix);
    await polls.add("poll-stream", {
      connectionId: this.connectionId,
      stream: "contacts",
      trigger: "backfill",
    });
    await polls.add(
      "poll-stream",
      { connectionId: this.connectionId, stream: "customers", trigger: "backfill" },
      { delay: 1_500 },
    );
    await polls.close();
    await redis.quit();
  }

  async settled(): Promise<number> {
    return this.prisma.syncRecord.count({
      where: {
        connectionId: this.connectionId,
        entity: "customer",
        status: { in: ["delivered", "rejected"] },
      },
    });
  }

  async waitSettled(
    timeoutMs: number,
    during?: (settled: number) => Promise<void>,
  ): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let settled = 0;
    while (Date.now() < deadline) {
      settled = await this.settled();
      if (settled === this.options.customers) return settled;
      await during?.(settled);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    return settled;
  }

  /**
   * The effects, counted where they landed: the members Mailchimp holds against the links the
   * connector recorded as delivered (the same set, not just the same count), creations in the
   * audit trail, and records without a trail.
   */
  async effects() {
    const { accountId, listId } = this.mailchimp.defaults!;
    const members = new Set(this.mailchimp.list(accountId, listId).members.keys());
    const links = await this.prisma.identityLink.findMany({
      where: {
        connectionId: this.connectionId,
        deliveredAt: { not: null },
        subscriberHash: { not: null },
      },
      select: { subscriberHash: true },
    });
    const linked = new Set(links.map((link) => link.subscriberHash));
    const created = await this.prisma.$queryRaw<{ hash: string; creations: bigint }[]>`
      SELECT detail->>'subscriberHash' AS hash, count(*) AS creations FROM audit_events
      WHERE connection_id = ${this.connectionId} AND stage = 'delivered'
        AND detail->>'outcome' = 'created' AND detail->>'subscriberHash' IS NOT NULL
      GROUP BY 1`;
    const twice = created.filter((row) => Number(row.creations) > 1).map((row) => row.hash);
    const orders = await this.prisma.$queryRaw<{ twice: bigint }[]>`
      SELECT count(*) AS twice FROM (
        SELECT external_id FROM audit_events
        WHERE connection_id = ${this.connectionId} AND entity = 'order' AND stage = 'delivered'
          AND detail->>'outcome' = 'created'
        GROUP BY 1 HAVING count(*) > 1) created`;
    const trails = await this.prisma.$queryRaw<
      { no_received: bigint; no_outcome: bigint; sample: string | null }[]
    >`
      SELECT count(*) FILTER (WHERE NOT trail.received) AS no_received,
        count(*) FILTER (WHERE NOT trail.outcome) AS no_outcome,
        min(trail.external_id || ' ' || trail.status)
          FILTER (WHERE NOT (trail.received AND trail.outcome)) AS sample
      FROM (
        SELECT record.external_id, record.status,
          EXISTS (SELECT 1 FROM audit_events event
            WHERE event.connection_id = record.connection_id AND event.entity = 'customer'
              AND event.external_id = record.external_id AND event.stage = 'received') AS received,
          EXISTS (SELECT 1 FROM audit_events event
            WHERE event.connection_id = record.connection_id AND event.entity = 'customer'
              AND event.external_id = record.external_id
              AND event.stage IN ('delivered', 'rejected')) AS outcome
        FROM sync_records record
        WHERE record.connection_id = ${this.connectionId} AND record.entity = 'customer'
      ) trail`;
    const trail = trails[0];
    const noReceived = Number(trail?.no_received ?? 0);
    const noOutcome = Number(trail?.no_outcome ?? 0);
    let trailGaps = "";
    if (noReceived + noOutcome > 0) {
      const sample = trail?.sample?.split(" ")[0] ?? "";
      const events = await this.prisma.auditEvent.findMany({
        where: {
          connectionId: this.connectionId,
          externalId: {
            in: [
              sample,
              ...(
                await this.prisma.syncRecord.findMany({
                  where: { connectionId: this.connectionId, parentId: sample },
                  select: { externalId: true },
                })
              ).map((child) => child.externalId),
            ],
          },
        },
        select: { at: true, entity: true, stage: true, jobId: true, reason: true, detail: true },
        orderBy: { at: "asc" },
      });
      trailGaps =
        `records without a full trail: ${noReceived} lack "received", ${noOutcome} lack an ` +
        `outcome; ${trail?.sample ?? ""}:\n${events.map((e) => JSON.stringify(e)).join("\n")}`;
    }

    return {
      members: members.size,
      deliveredLinks: linked.size,
      membersWithoutLink: [...members].filter((hash) => !linked.has(hash)).length,
      linksWithoutMember: [...linked].filter((hash) => !members.has(hash!)).length,
      createdTwice: twice.length,
      createdTwiceTrails: twice.length > 0 ? await this.trailsOf(twice.slice(0, 3)) : [],
      ordersCreatedTwice: Number(orders[0]?.twice ?? 0),
      recordsWithoutTrail: noReceived + noOutcome,
      trailGaps,
    };
  }

  /** The audit events naming these subscriber hashes, oldest first, one line each. */
  async trailsOf(hashes: string[]): Promise<string[]> {
    const events = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT at, entity, external_id, stage, attempt, job_id, detail FROM audit_events
      WHERE connection_id = ${this.connectionId}
        AND detail->>'subscriberHash' = ANY(${hashes}::text[])
      ORDER BY at LIMIT 40`;

    return events.map((event) => JSON.stringify(event));
  }

  /** What to look at when a run does not settle: records by state, queues, service logs. */
  async diagnose(): Promise<string> {
    const states = await this.prisma.syncRecord.groupBy({
      by: ["entity", "status"],
      where: { connectionId: this.connectionId },
      _count: true,
    });
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    const queues: string[] = [];
    for (const key of await redis.keys(`${this.prefix}:*:meta`)) {
      const queue = key.slice(this.prefix.length + 1, -":meta".length);
      const counts = await Promise.all(
        ["wait", "active", "delayed", "prioritized", "failed", "completed"].map(async (state) => {
          const type = await redis.type(`${this.prefix}:${queue}:${state}`);
          const size =
            type === "list"
              ? await redis.llen(`${this.prefix}:${queue}:${state}`)
              : type === "zset"
                ? await redis.zcard(`${this.prefix}:${queue}:${state}`)
                : 0;
          return `${state}=${size}`;
        }),
      );
      queues.push(`${queue}: ${counts.join(" ")}`);
      for (const id of await redis.zrange(`${this.prefix}:${queue}:failed`, 0, 9)) {
        const [name, reason] = await redis.hmget(
          `${this.prefix}:${queue}:${id}`,
          "name",
          "failedReason",
        );
        queues.push(`  failed ${queue}/${name ?? "?"} #${id}: ${reason ?? "?"}`);
      }
    }
    await redis.quit();
    const dir = mkdtempSync(join(tmpdir(), "mlc-chaos-logs-"));
    for (const service of this.services) {
      writeFileSync(join(dir, `${service.name}.log`), service.output.join(""));
    }

    return [
      `records: ${states.map((row) => `${row.entity}/${row.status}=${row._count}`).join(" ")}`,
      ...queues,
      `service logs: ${dir}`,
    ].join("\n");
  }

  async stop(): Promise<void> {
    for (const service of this.services) {
      if (service.child !== undefined && service.child.exitCode === null)
        service.child.kill("SIGTERM");
    }
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (const service of this.services) service.child?.kill("SIGKILL");
    await purgeConnections(this.prisma, [this.connectionId]).catch(() => undefined);
    // The run's queues go too, so Redis does not fill up with earlier runs' jobs.
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    await (async () => {
      for (const key of await redis.keys(`${this.prefix}:*`)) await redis.del(key);
    })().catch(() => undefined);
    redis.disconnect();
    await Promise.all([this.plex?.close(), this.mailchimp?.close()]);
    await this.prisma.$disconnect();
  }
}
