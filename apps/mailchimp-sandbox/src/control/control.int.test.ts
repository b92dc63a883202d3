/**
 * The control API over HTTP (/_sandbox): provisioning, subscriber actions, the clock, fault
 * injection (5xx, 429, body-less 403, dropped connections, latency), stats and inspection, and
 * clear 4xx answers for bad control requests.
 */
import axios, { type AxiosInstance } from "axios";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";

let sandbox: SandboxHandle;
let control: AxiosInstance;
let api: AxiosInstance;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  control = axios.create({ baseURL: `${sandbox.url}/_sandbox`, validateStatus: () => true });
  api = apiClient(sandbox);
});

afterEach(async () => {
  await control.delete("/faults");
});

afterAll(async () => {
  await sandbox.close();
});

describe("provisioning and simulation", () => {
  it("creates an account and an audience, and simulates a subscriber over HTTP", async () => {
    const account = (await control.post("/accounts", { dc: "us14", name: "Plant 9" })).data as {
      id: string;
      apiKey: string;
      baseUrl: string;
    };
    const list = (
      await control.post(`/accounts/${account.id}/lists`, { name: "Plant 9 customers" })
    ).data as { id: string };
    const action = await control.post(
      `/accounts/${account.id}/lists/${list.id}/subscriber-actions`,
      {
        action: "subscribe",
        email: "plant9.buyer@lake-foundry.com",
      },
    );
    const members = await control.get(`/accounts/${account.id}/lists/${list.id}/members`);
    const ping = await axios.get(`${account.baseUrl}/ping`, {
      auth: { username: "x", password: account.apiKey },
    });

    expect(account.apiKey).toMatch(/-us14$/);
    expect(account.baseUrl).toBe(`${sandbox.url}/us14/3.0`);
    expect(action.data).toMatchObject({ status: "subscribed", source: "Hosted Signup Form" });
    expect(members.data).toMatchObject({ total_items: 1 });
    expect(ping.status).toBe(200);
  });

  it("moves the simulated clock", async () => {
    const before = Date.parse(((await control.get("/clock")).data as { now: string }).now);
    const after = Date.parse(
      ((await control.post("/clock/advance", { hours: 2 })).data as { now: string }).now,
    );

    expect(after - before).toBeGreaterThanOrEqual(2 * 3_600_000);
  });

  it("answers 400 for a bad control body and 404 for an unknown account", async () => {
    expect((await control.post("/accounts", { dc: "not a dc" })).status).toBe(400);
    expect((await control.post("/clock/advance", {})).status).toBe(400);
    expect((await control.post("/accounts/nope/lists", {})).status).toBe(404);
    expect((await control.post("/faults", { kind: "explode" })).status).toBe(400);
    expect(
      (
        await control.post("/accounts", "{broken", {
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
  });
});

describe("fault injection", () => {
  it("answers an injected 503 for the matching path only, a set number of times", async () => {
    await control.post("/faults", { kind: "status", status: 503, path: "^/ping$", times: 2 });

    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await api.get("/ping")).status);
    const other = await api.get("/lists");

    expect(statuses).toEqual([503, 503, 200]);
    expect(other.status).toBe(200);
  });

  it("injects a 429 and a body-less 403", async () => {
    await control.post("/faults", { kind: "too-many-requests", times: 1 });
    const tooMany = await api.get("/ping");
    await control.post("/faults", { kind: "forbidden-empty", times: 1 });
    const forbidden = await api.get("/ping", { responseType: "text" });

    expect(tooMany.status).toBe(429);
    expect(tooMany.data).toMatchObject({ title: "Too Many Requests" });
    expect(forbidden.status).toBe(403);
    expect(forbidden.data).toBe("");
  });

  it("drops the connection without an answer", async () => {
    await control.post("/faults", { kind: "drop", method: "GET", times: 1 });

    await expect(api.get("/ping")).rejects.toMatchObject({ code: "ECONNRESET" });
    expect((await api.get("/ping")).status).toBe(200);
  });

  it("adds latency", async () => {
    await control.post("/faults", { kind: "latency", latencyMs: 150, times: 1 });
    const started = Date.now();
    await api.get("/ping");

    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe("stats and inspection", () => {
  it("counts requests per endpoint and per status", async () => {
    await control.post("/stats/reset");
    await api.get("/ping");
    await api.get("/lists/unknown");
    const stats = (await control.get("/stats")).data as {
      requests: {
        endpoints: Record<string, { requests: number; byStatus: Record<string, number> }>;
      };
      accounts: { id: string; peakInFlight: number; requests: number }[];
    };

    expect(stats.requests.endpoints["GET /ping"]).toEqual({ requests: 1, byStatus: { "200": 1 } });
    expect(stats.requests.endpoints["GET /lists/{list_id}"]).toEqual({
      requests: 1,
      byStatus: { "404": 1 },
    });
    expect(
      stats.accounts.find((account) => account.id === sandbox.defaults?.accountId),
    ).toMatchObject({
      peakInFlight: 1,
      requests: 2,
    });
  });

  it("shows what was written to a store and the batches of an account", async () => {
    const store = `/ecommerce/stores/${sandbox.defaults?.storeId ?? ""}`;
    await api.put(`${store}/products/P-1`, {
      id: "P-1",
      title: "Gear",
      variants: [{ id: "P-1", title: "Gear" }],
    });
    await api.post("/batches", { operations: [{ method: "GET", path: "/ping" }] });
    const accountId = sandbox.defaults?.accountId ?? "";
    const dump = (
      await control.get(`/accounts/${accountId}/stores/${sandbox.defaults?.storeId ?? ""}`)
    ).data as {
      products: { id: string }[];
    };
    const batches = (await control.get(`/accounts/${accountId}/batches`)).data as unknown[];

    expect(dump.products.map((product) => product.id)).toEqual(["P-1"]);
    expect(batches).toHaveLength(1);
  });
});

describe("service endpoints", () => {
  it("answers /healthz and /readyz", async () => {
    expect((await axios.get(`${sandbox.url}/healthz`)).data).toEqual({ status: "ok" });
    expect((await axios.get(`${sandbox.url}/readyz`)).data).toEqual({ status: "ready" });
  });
});
