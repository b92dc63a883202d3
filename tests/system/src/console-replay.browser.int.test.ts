import { existsSync } from "node:fs";
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";

import { chromium, type Browser } from "playwright-core";
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
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CONSOLE_PORT = 18280;
const PASSWORD = "browser-test-password-1";

describe("the console in a real browser", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
  const connectionId = `browser-${randomUUID().slice(0, 8)}`;
  const processes: TRunningProcess[] = [];
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    plex = await startPlexSandbox({ customers: 150, seed: 5, latency: { baseMs: 0, perRowMs: 0 } });
    mailchimp = await startMailchimpSandbox({
      latency: { perRequestMs: 0, perBatchMemberMs: 0 },
      batches: { operationsPerSecond: 5_000 },
    });
    const env = {
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      DATABASE_URL,
      QUEUE_PREFIX: `mlc-browser-${randomUUID().slice(0, 6)}`,
      MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
      MASTER_KEY_CURRENT: "1",
      HTTP_HOST: "127.0.0.1",
      CONSOLE_PASSWORD: PASSWORD,
      SCHEDULE_RECONCILE_MS: "3600000",
    };
    const apps = [
      ["plex-poller", 18281],
      ["mailchimp-writer", 18282],
      ["console", CONSOLE_PORT],
    ] as const;
    for (const [name, port] of apps) {
      const running = startProcess([join(ROOT, "apps", name, "dist", "main.js")], {
        ...env,
        HTTP_PORT: String(port),
      });
      processes.push(running);
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, 200, 30_000);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const running of processes) running.child.kill("SIGTERM");
    await Promise.all(
      processes.map((running) => waitForExit(running, 15_000).catch(() => undefined)),
    );
    await purgeConnections(prisma, [connectionId]);
    await Promise.all([plex?.close(), mailchimp?.close(), prisma.$disconnect()]);
  });

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`http://127.0.0.1:${CONSOLE_PORT}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

    return res.status;
  }

  it("logs in, finds a rejected customer, fixes it in Plex, replays it and sees it delivered", async () => {
    expect(
      await api("POST", "/api/connections", {
        id: connectionId,
        name: "Browser test plant",
        mode: "sandbox",
        plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
        mailchimp: {
          apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
          listId: mailchimp.defaults!.listId,
          storeId: mailchimp.defaults!.storeId,
          auth: { scheme: "api_key", apiKey: mailchimp.defaults!.apiKey },
        },
      }),
    ).toBe(201);
    expect(await api("POST", `/api/connections/${connectionId}/sync`, {})).toBe(202);
    for (let waited = 0; waited < 60_000; waited += 500) {
      const settled = await prisma.syncRecord.count({
        where: { connectionId, entity: "customer", status: { in: ["delivered", "rejected"] } },
      });
      if (settled === 150) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const pageHandle = await browser.newPage();
    const base = `http://127.0.0.1:${CONSOLE_PORT}`;
    await pageHandle.goto(`${base}/`);
    expect(pageHandle.url()).toContain("/login");
    await pageHandle.fill('input[name="username"]', "admin");
    await pageHandle.fill('input[name="password"]', PASSWORD);
    await pageHandle.click('button[type="submit"]');
    await pageHandle.click(`a[href="/connections/${connectionId}"]`);
    await pageHandle.click('a[href*="entity=customer&status=rejected"]');

    // A customer rejected for its e-mail, with no contact to stand in for it.
    const row = pageHandle.locator("tbody tr", { hasText: "e-mail" }).first();
    await expect.poll(() => row.count()).toBeGreaterThan(0);
    const href = (await row.locator("a.record").getAttribute("href"))!;
    const customerId = decodeURIComponent(href.split("/").at(-1)!);
    plex.mutations.update("customer", customerId, {
      email: "purchasing.fixed@valid-plant-supply.com",
    });
    await row.locator('button:has-text("Replay")').click();
    await expect
      .poll(() => pageHandle.locator(".notice").textContent())
      .toContain("1 read again from Plex");

    await pageHandle.goto(`${base}${href}`);
    let status = "";
    for (let waited = 0; waited < 30_000 && status !== "delivered"; waited += 500) {
      await pageHandle.reload();
      status = (await pageHandle.locator("#record-status").textContent()) ?? "";
      if (status !== "delivered") await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(status).toBe("delivered");
    await expect
      .poll(() => pageHandle.locator("td", { hasText: "replayed" }).count())
      .toBeGreaterThan(0);
    const member = mailchimp.member(
      mailchimp.defaults!.accountId,
      mailchimp.defaults!.listId,
      "purchasing.fixed@valid-plant-supply.com",
    );
    expect(member?.status).toBe("subscribed");
    await pageHandle
      .screenshot({ path: join(ROOT, ".data", "console-replay.png") })
      .catch(() => undefined);
  });
});
