/**
 * The call budget (200 per minute per key, sliding window), its 429 answer and the stats that let
 * tests prove a client stayed inside it; OAuth client-credentials tokens and their expiry; and
 * fault injection.
 */
import axios, { type AxiosInstance } from "axios";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startPlexSandbox, type TPlexSandboxHandle } from "../plex-sandbox.js";

let sandbox: TPlexSandboxHandle;
let plex: AxiosInstance;

beforeAll(async () => {
  sandbox = await startPlexSandbox({
    customers: 30,
    latency: { baseMs: 0, perRowMs: 0 },
    apiKeys: [{ key: "sandbox-plex-key" }, { key: "second-app-key-0001" }],
    oauth: { tokenLifetimeSeconds: 2 },
  });
  plex = axios.create({
    baseURL: sandbox.url,
    headers: { "X-Plex-Connect-Api-Key": sandbox.apiKey },
    validateStatus: () => true,
  });
});

beforeEach(() => {
  sandbox.reset();
  sandbox.settings.rateLimit.retryAfterHeader = true;
});

afterAll(async () => {
  await sandbox.close();
});

async function burst(count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let call = 0; call < count; call += 1) {
    statuses.push((await plex.get("/mdm/v1/tenants", { headers })).status);
  }

  return statuses;
}

describe("call budget", () => {
  it("accepts 200 calls a minute per key and answers the 201st with 429", async () => {
    const statuses = await burst(200);
    expect(statuses.every((status) => status === 200)).toBe(true);

    const refused = await plex.get("/mdm/v1/tenants");
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers["retry-after"]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(refused.data).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((refused.data as { message: string }).message).toContain(
      `Try again in ${seconds} seconds`,
    );

    const stats = sandbox.stats.snapshot();
    const key = stats.keys["sand…-key"]!;
    expect(key).toMatchObject({ calls: 201, rateLimited: 1, peakCallsInWindow: 201 });
    expect(stats.totals.rateLimited).toBe(1);
  });

  it("keeps one budget per key", async () => {
    await burst(200);
    const other = await plex.get("/mdm/v1/tenants", {
      headers: { "X-Plex-Connect-Api-Key": "second-app-key-0001" },
    });
    expect(other.status).toBe(200);
  });

  it("slides: calls become possible again as the oldest leave the 60 s window", async () => {
    await burst(100);
    sandbox.advanceClock(30_000);
    await burst(100);
    expect((await plex.get("/mdm/v1/tenants")).status).toBe(429);
    sandbox.advanceClock(30_001);
    expect((await burst(100)).every((status) => status === 200)).toBe(true);
    expect((await plex.get("/mdm/v1/tenants")).status).toBe(429);
    // Attempts in the last 60 s: 100 + 1 refused (at +30 s) + 100 + 1 refused (at +60 s).
    expect(sandbox.stats.snapshot().peakCallsInWindow).toBe(202);
  });

  it("reports the peak of a client that paces itself below the limit", async () => {
    for (let minute = 0; minute < 3; minute += 1) {
      await burst(150);
      sandbox.advanceClock(60_000);
    }
    const stats = sandbox.stats.snapshot();
    expect(stats.peakCallsInWindow).toBe(150);
    expect(stats.totals).toMatchObject({ calls: 450, rateLimited: 0 });
  });

  it("can leave Retry-After out, as Plex does not document it", async () => {
    sandbox.settings.rateLimit.retryAfterHeader = false;
    await burst(200);
    const refused = await plex.get("/mdm/v1/tenants");
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBeUndefined();
  });
});

describe("OAuth client credentials", () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formHeaders = { "Content-Type": "application/x-www-form-urlencoded" };

  it("issues an expiring bearer token that replaces the API key", async () => {
    const { clientId, clientSecret } = sandbox.oauthClient;
    const token = await axios.post<{
      access_token: string;
      token_type: string;
      expires_in: number;
    }>(sandbox.tokenUrl, form({ grant_type: "client_credentials" }), {
      headers: formHeaders,
      auth: { username: clientId, password: clientSecret },
    });
    expect(token.status).toBe(200);
    expect(token.data).toMatchObject({ token_type: "Bearer", expires_in: 2 });

    const bare = axios.create({ baseURL: sandbox.url, validateStatus: () => true });
    const headers = { Authorization: `Bearer ${token.data.access_token}` };
    expect((await bare.get("/mdm/v1/tenants", { headers })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const expired = await bare.get("/mdm/v1/tenants", { headers });
    expect(expired.status).toBe(401);
    expect(expired.data).toMatchObject({ code: "REQUEST_NOT_AUTHENTICATED" });
  });

  it("takes the client in the body too, and expires tokens on the sandbox clock", async () => {
    const token = await axios.post<{ access_token: string }>(
      sandbox.tokenUrl,
      form({
        grant_type: "client_credentials",
        client_id: sandbox.oauthClient.clientId,
        client_secret: sandbox.oauthClient.clientSecret,
      }),
      { headers: formHeaders },
    );
    const headers = { Authorization: `Bearer ${token.data.access_token}` };
    const bare = axios.create({ baseURL: sandbox.url, validateStatus: () => true });
    expect((await bare.get("/mdm/v1/tenants", { headers })).status).toBe(200);
    sandbox.advanceClock(2_000);
    expect((await bare.get("/mdm/v1/tenants", { headers })).status).toBe(401);
  });

  it("answers RFC 6749 errors", async () => {
    const post = (body: string, extra: object = {}) =>
      axios.post(sandbox.tokenUrl, body, {
        headers: formHeaders,
        validateStatus: () => true,
        ...extra,
      });
    const wrong = await post(form({ grant_type: "client_credentials" }), {
      auth: { username: "sandbox-plex-client", password: "bad" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.data).toMatchObject({ error: "invalid_client" });
    expect(wrong.headers["www-authenticate"]).toContain("Basic");
    expect((await post(form({ grant_type: "password" }))).data).toMatchObject({
      error: "unsupported_grant_type",
    });
    expect((await post(form({}))).status).toBe(400);
  });
});

describe("fault injection", () => {
  it("answers 5xx for the next N calls of a path prefix only", async () => {
    sandbox.faults.add({ type: "error", status: 503, times: 2, pathPrefix: "/sales" });
    expect((await plex.get("/mdm/v1/tenants")).status).toBe(200);
    const orders = "/sales/v1/orders?customerId=00000000-0000-4000-8000-000000000001";
    expect((await plex.get(orders)).status).toBe(503);
    expect((await plex.get(orders)).status).toBe(503);
    expect((await plex.get(orders)).status).toBe(200);
  });

  it("drops connections and injects 429s and latency", async () => {
    sandbox.faults.add({ type: "drop", times: 1 });
    await expect(
      axios.get(`${sandbox.url}/mdm/v1/tenants`, {
        headers: { "X-Plex-Connect-Api-Key": sandbox.apiKey },
      }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/) as string,
    });

    sandbox.faults.add({ type: "rate-limit", times: 1, retryAfterSeconds: 7 });
    const limited = await plex.get("/mdm/v1/tenants");
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("7");

    sandbox.faults.add({ type: "latency", latencyMs: 300, times: 1 });
    const startedAt = performance.now();
    expect((await plex.get("/mdm/v1/tenants")).status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(sandbox.stats.snapshot().totals).toMatchObject({ rateLimited: 1, faults: 3 });
  });

  it("applies probabilistic faults repeatably", async () => {
    sandbox.faults.add({ type: "error", probability: 0.5 });
    const statuses = await burst(40);
    const failures = statuses.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });
});

describe("latency model", () => {
  it("charges a base cost per call and a cost per returned row", async () => {
    sandbox.settings.latency.baseMs = 150;
    sandbox.settings.latency.perRowMs = 5;
    try {
      const startedAt = performance.now();
      const response = await plex.get<unknown[]>("/mdm/v1/customers");
      const elapsed = performance.now() - startedAt;
      expect(response.data).toHaveLength(30);
      expect(elapsed).toBeGreaterThanOrEqual(150 + 30 * 5 - 10);
    } finally {
      sandbox.settings.latency.baseMs = 0;
      sandbox.settings.latency.perRowMs = 0;
    }
  });
});
