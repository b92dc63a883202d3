import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";

import {
  ROOT,
  startProcess,
  waitForExit,
  waitForHttp,
  type TRunningProcess,
} from "./process-harness.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const CUSTOMERS = 300;
const CONSOLE_PORT = 18180;

describe("the customer flow across real processes and queues", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
  const masterKey = randomBytes(32).toString("base64");
  const password = "flow-test-password-77";
  const connectionId = `flow-${randomUUID().slice(0, 8)}`;
  const processes: TRunningProcess[] = [];
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;

  beforeAll(async () => {
    plex = await startPlexSandbox({
      customers: CUSTOMERS,
      seed: 11,
      latency: { baseMs: 0, perRowMs: 0 },
    });
    mailchimp = await startMailchimpSandbox({
      latency: { perRequestMs: 0, perBatchMemberMs: 0 },
      batches: { operationsPerSecond: 5_000 },
    });
    const env = {
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      DATABASE_URL,
      QUEUE_PREFIX: `mlc-flow-${randomUUID().slice(0, 6)}`,
      MASTER_KEYS: `1:${masterKey}`,
      MASTER_KEY_CURRENT: "1",
      HTTP_HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      CONSOLE_PASSWORD: password,
    };
    for (const [name, port] of [
      ["plex-poller", 18181],
      ["mailchimp-writer", 18182],
      ["console", CONSOLE_PORT],
    ] as const) {
      const running = startProcess([join(ROOT, "apps", name, "dist", "main.js")], {
        ...env,
        HTTP_PORT: String(port),
      });
      processes.push(running);
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, 200, 30_000);
    }
  });

  afterAll(async () => {
    for (const running of processes) running.child.kill("SIGTERM");
    await Promise.all(
      processes.map((running) => waitForExit(running, 15_000).catch(() => undefined)),
    );
    await purgeConnections(prisma, [connectionId]);
    await Promise.all([plex.close(), mailchimp.close(), prisma.$disconnect()]);
  });

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`http://127.0.0.1:${CONSOLE_PORT}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${password}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("syncs a plant from Plex to Mailchimp after 'sync now', every record ending delivered or rejected", async () => {
    const created = await api("POST", "/api/connections", {
      id: connectionId,
      name: "Flow test plant",
      mode: "sandbox",
      plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        listId: mailchimp.defaults!.listId,
        storeId: mailchimp.defaults!.storeId,
        auth: { scheme: "api_key", apiKey: mailchimp.defaults!.apiKey },
      },
    });
    expect(created.status).toBe(201);

    const sync = await api("POST", `/api/connections/${connectionId}/sync`, {});
    expect(sync.status).toBe(202);

    const deadline = Date.now() + 90_000;
    let settled = 0;
    while (Date.now() < deadline) {
      settled = await prisma.syncRecord.count({
        where: { connectionId, entity: "customer", status: { in: ["delivered", "rejected"] } },
      });
      if (settled === CUSTOMERS) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(settled).toBe(CUSTOMERS);

    const delivered = await prisma.identityLink.count({
      where: { connectionId, deliveredAt: { not: null } },
    });
    const members = mailchimp.list(
      mailchimp.defaults!.accountId,
      mailchimp.defaults!.listId,
    ).members;
    expect(members.size).toBe(delivered);
    expect([...members.values()].every((member) => member.status === "subscribed")).toBe(true);
    const cursor = await prisma.syncCursor.findMany({ where: { connectionId } });
    expect(cursor.map((row) => row.stream).sort()).toEqual(["contacts", "customers"]);
    for (const running of processes)
      expect(running.output()).not.toContain(mailchimp.defaults!.apiKey);
  });
});
