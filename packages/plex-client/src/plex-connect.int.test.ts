import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  DEFAULT_API_KEY,
  startPlexSandbox,
  type TPlexSandboxHandle,
} from "@ml-connector/plex-sandbox";

import { PlexCallBudget } from "./call-budget.js";
import { PlexConnectClient } from "./plex-connect.client.js";
import { PlexSoapClient, PlexUxDataSourceClient } from "./plex-datasource.client.js";
import { PlexApiError } from "./plex-errors.js";
import { ZPlexCustomer } from "./plex-records.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const BUDGET_TEST_KEY = "budget-test-key-0001";

describe("Plex clients against the Plex sandbox", () => {
  let plex: TPlexSandboxHandle;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    plex = await startPlexSandbox({
      customers: 60,
      latency: { baseMs: 0, perRowMs: 0 },
      oauth: { enabled: true, tokenLifetimeSeconds: 1 },
      // A second application key, used by nothing but the budget test.
      apiKeys: [{ key: DEFAULT_API_KEY }, { key: BUDGET_TEST_KEY, name: "budget-test" }],
    });
  });
  beforeEach(() => {
    plex.faults.clear();
  });
  afterAll(async () => {
    await plex.close();
    await redis.quit();
  });

  function apiKeyClient(
    overrides: Partial<ConstructorParameters<typeof PlexConnectClient>[0]> = {},
  ) {
    return new PlexConnectClient({
      baseUrl: plex.url,
      auth: { scheme: "api_key", apiKey: plex.apiKey },
      ...overrides,
    });
  }

  it("reads a window of customers with the API key, as a bare array of valid records", async () => {
    const client = apiKeyClient();
    const all = await client.list("/mdm/v1/customers");
    const window = await client.list("/mdm/v1/customers", {
      query: { modifiedDateBegin: new Date("2000-01-01T00:00:00Z"), modifiedDateEnd: new Date() },
    });

    expect(all.length).toBe(60);
    expect(window.length).toBeGreaterThan(0);
    for (const record of window) expect(ZPlexCustomer.safeParse(record).success).toBe(true);
  });

  it("refreshes an expiring OAuth token once for many concurrent callers", async () => {
    const client = new PlexConnectClient({
      baseUrl: plex.url,
      auth: {
        scheme: "oauth_client_credentials",
        tokenUrl: plex.tokenUrl,
        ...plex.oauthClient,
      },
    });
    const tokens = (client as unknown as { tokens: { refreshCount: number } }).tokens;

    const first = await Promise.all(
      Array.from({ length: 20 }, () => client.list("/mdm/v1/tenants")),
    );
    expect(tokens.refreshCount).toBe(1);
    // The sandbox token lives 1 s; the client refreshes ahead of expiry (30 s skew), so every
    // call after the first one sees an expiring token — still exactly one refresh per round.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await Promise.all(
      Array.from({ length: 20 }, () => client.list("/mdm/v1/tenants")),
    );

    expect(first.every((tenants) => tenants.length === 1)).toBe(true);
    expect(second.every((tenants) => tenants.length === 1)).toBe(true);
    expect(tokens.refreshCount).toBe(2);
  });

  it("refreshes and retries once when Plex answers 401 to a token it thinks expired", async () => {
    const client = new PlexConnectClient({
      baseUrl: plex.url,
      auth: { scheme: "oauth_client_credentials", tokenUrl: plex.tokenUrl, ...plex.oauthClient },
    });
    const provider = (
      client as unknown as { tokens: { refreshCount: number; token(): Promise<string> } }
    ).tokens;
    await client.list("/mdm/v1/tenants");
    // Expire every token server-side by moving the sandbox clock past the lifetime.
    plex.advanceClock(5_000);

    const tenants = await client.list("/mdm/v1/tenants");

    expect(tenants.length).toBe(1);
    expect(provider.refreshCount).toBe(2);
  });

  it("fails with REQUEST_NOT_AUTHENTICATED for a wrong key, without retrying", async () => {
    const client = apiKeyClient({ auth: { scheme: "api_key", apiKey: "wrong-key-000000" } });

    const error = await client.list("/mdm/v1/tenants").catch((err: unknown) => err);

    expect(error).toBeInstanceOf(PlexApiError);
    expect((error as PlexApiError).code).toBe("REQUEST_NOT_AUTHENTICATED");
    expect(client.calls).toBe(1);
  });

  it("retries 5xx answers and dropped connections until Plex answers", async () => {
    plex.faults.add({ type: "error", status: 503, times: 2, pathPrefix: "/mdm/v1/parts" });
    plex.faults.add({ type: "drop", times: 1, pathPrefix: "/mdm/v1/parts" });
    const client = apiKeyClient();

    const parts = await client.list("/mdm/v1/parts");

    expect(parts.length).toBeGreaterThan(0);
    expect(client.calls).toBe(4);
  });

  it("waits out a 429 with the server's hint and pauses the shared budget", async () => {
    plex.faults.add({
      type: "rate-limit",
      times: 1,
      retryAfterSeconds: 1,
      pathPrefix: "/mdm/v1/tenants",
    });
    const budget = new PlexCallBudget({ redis, keyIdentity: randomUUID(), prefix: "mlc-test" });
    const client = apiKeyClient({ budget });
    const startedAt = Date.now();

    await client.list("/mdm/v1/tenants");

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(client.calls).toBe(2);
  });

  it("never exceeds the server's limit when two clients share one budget (scaled: 40 per 4 s)", async () => {
    plex.settings.rateLimit.windowMs = 4_000;
    plex.settings.rateLimit.limit = 40;
    // 10 % below the server's limit, as 190 is below Plex's 200: room for network jitter.
    const budget = new PlexCallBudget({
      redis,
      keyIdentity: randomUUID(),
      callsPerMinute: 36,
      windowMs: 4_000,
      prefix: "mlc-test",
    });
    const auth = { scheme: "api_key" as const, apiKey: BUDGET_TEST_KEY };
    const clients = [apiKeyClient({ budget, auth }), apiKeyClient({ budget, auth })];
    plex.stats.reset();
    let next = 0;

    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        while (next < 80) {
          next += 1;
          await clients[worker % 2]!.list("/mdm/v1/tenants");
        }
      }),
    );

    const stats = plex.stats.snapshot().keys["budget-test"]!;
    expect(stats.calls).toBe(80);
    expect(stats.rateLimited).toBe(0);
    expect(stats.peakCallsInWindow).toBeGreaterThan(30);
    expect(stats.peakCallsInWindow).toBeLessThanOrEqual(40);
    plex.settings.rateLimit.windowMs = 60_000;
    plex.settings.rateLimit.limit = 200;
  });

  it("executes the customer data source over Classic SOAP and over the UX API", async () => {
    const { CUSTOMER_LIST_DATA_SOURCE } = await import("@ml-connector/plex-sandbox");
    const soap = new PlexSoapClient({ soapUrl: plex.soapUrl, credentials: plex.webServiceUser });
    const ux = new PlexUxDataSourceClient({
      baseUrlTemplate: `${plex.url}/ux/{pcn}`,
      pcn: plex.tenant.code,
      credentials: plex.webServiceUser,
    });

    const overSoap = await soap.execute(CUSTOMER_LIST_DATA_SOURCE);
    const overUx = await ux.execute(CUSTOMER_LIST_DATA_SOURCE);

    expect(overSoap.rows.length).toBe(60);
    expect(overUx.rows.length).toBe(60);
    const wrong = new PlexSoapClient({
      soapUrl: plex.soapUrl,
      credentials: { username: plex.webServiceUser.username, password: "wrong" },
    });
    await expect(wrong.execute(CUSTOMER_LIST_DATA_SOURCE)).rejects.toMatchObject({ kind: "auth" });
  });
});
