import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "apps", "cli", "dist", "main.js");
const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const CUSTOMERS = 400;

describe("the CLI's operations commands against running services", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
  const id = `cli-ops-${randomUUID().slice(0, 8)}`;
  const services: ChildProcess[] = [];
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    plex = await startPlexSandbox({
      customers: CUSTOMERS,
      seed: 3,
      latency: { baseMs: 0, perRowMs: 0 },
    });
    mailchimp = await startMailchimpSandbox({
      latency: { perRequestMs: 0, perBatchMemberMs: 0 },
      batches: { operationsPerSecond: 5_000 },
    });
    env = {
      PATH: process.env.PATH,
      DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      QUEUE_PREFIX: `mlc-cli-ops-${randomUUID().slice(0, 6)}`,
      MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
      MASTER_KEY_CURRENT: "1",
      HTTP_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SCHEDULE_RECONCILE_MS: "3600000",
    };
    for (const [name, port] of [
      ["plex-poller", 18381],
      ["mailchimp-writer", 18382],
    ] as const) {
      const child = spawn(process.execPath, [join(ROOT, "apps", name, "dist", "main.js")], {
        env: { ...env, HTTP_PORT: String(port) },
        stdio: "ignore",
      });
      services.push(child);
      for (let waited = 0; waited < 30_000; waited += 250) {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (res) => res.ok,
          () => false,
        );
        if (ready) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });

  afterAll(async () => {
    for (const child of services) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await purgeConnections(prisma, [id]);
    await Promise.all([plex.close(), mailchimp.close(), prisma.$disconnect()]);
  });

  function cli(args: string[]) {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  it(
    "backfills with progress output, then reports status, an audit timeline and a replay",
    { timeout: 180_000 },
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), "mlc-cli-ops-")), "connection.json");
      writeFileSync(
        file,
        JSON.stringify({
          id,
          name: "CLI operations plant",
          plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
          mailchimp: {
            apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
            listId: mailchimp.defaults!.listId,
            storeId: mailchimp.defaults!.storeId,
            auth: { scheme: "api_key", apiKey: mailchimp.defaults!.apiKey },
          },
        }),
      );
      expect((await cli(["connections", "add", "--file", file, "--no-test"])).code).toBe(0);

      const backfill = await cli(["backfill", id, "--from-scratch"]);

      expect(backfill.stderr).toBe("");
      expect(backfill.code).toBe(0);
      expect(backfill.stdout).toMatch(/\[#+\] 100% 400\/400 customers · [\d.]+\/s · ETA 0 s/);
      expect(backfill.stdout).toContain("backfill finished: 400 customers written or rejected");

      const status = await cli(["status", id]);
      expect(status.stdout).toMatch(/^STREAM +LAST RUN +RESULT +LAG/m);
      expect(status.stdout).toMatch(/customer: .*\d+ delivered/);

      const rejected = await prisma.syncRecord.findFirst({
        where: { connectionId: id, entity: "customer", status: "rejected" },
      });
      const audit = await cli(["audit", id, "customer", rejected!.externalId]);
      expect(audit.stdout).toMatch(/rejected/);
      expect(audit.stdout).toMatch(/^WHEN +STAGE +REASON +DETAIL/m);

      const replay = await cli(["replay", id, "--status", "rejected"]);
      expect(replay.code).toBe(0);
      expect(replay.stdout).toMatch(/replay queued for \d+ customer record\(s\)/);
      const replayed = await prisma.auditEvent.count({
        where: { connectionId: id, stage: "replayed" },
      });
      expect(replayed).toBeGreaterThan(0);
    },
  );
});
