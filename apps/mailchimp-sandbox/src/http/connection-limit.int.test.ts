/**
 * The 10-simultaneous-connections limit per account ([FUND], reference/mailchimp-api.md §2):
 * the 11th in-flight request of one account gets 429 (or a body-less 403 when so configured);
 * other accounts are not affected; the peak is counted for tests and benchmarks.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";

let sandbox: SandboxHandle;

beforeAll(async () => {
  // Requests must overlap: each one is held for a second by the latency model, a wide margin
  // for the 11th request to arrive while the first ten are still in flight.
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 1_000, perBatchMemberMs: 0 } });
});

afterAll(async () => {
  await sandbox.close();
});

async function waitForInFlight(accountId: string, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (sandbox.accountStats(accountId).inFlight < count) {
    if (Date.now() > deadline) throw new Error(`in-flight never reached ${count}`);
    await sleep(5);
  }
}

describe("connection limit", () => {
  it("answers the 11th simultaneous request of an account with 429 Too Many Requests", async () => {
    const accountId = sandbox.defaults?.accountId ?? "";
    sandbox.resetStats();
    const api = apiClient(sandbox);

    const first = Array.from({ length: 10 }, () => api.get("/ping"));
    await waitForInFlight(accountId, 10);
    const eleventh = await api.get("/ping");
    const answered = await Promise.all(first);

    expect(answered.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(eleventh.data).toMatchObject({
      title: "Too Many Requests",
      status: 429,
      detail: "You have exceeded the limit of 10 simultaneous connections.",
    });
    const stats = sandbox.accountStats(accountId);
    expect(stats.peakInFlight).toBe(10);
    expect(stats.rejectedTooMany).toBe(1);
    expect(sandbox.stats().requests.tooManyRequests).toBe(1);
  });

  it("frees the slots once answers are sent, so a later request passes", async () => {
    const accountId = sandbox.defaults?.accountId ?? "";
    await sleep(20);

    expect(sandbox.accountStats(accountId).inFlight).toBe(0);
    expect((await apiClient(sandbox).get("/ping")).status).toBe(200);
  });

  it("answers a body-less 403 instead when configured, as Mailchimp does under load", async () => {
    const accountId = sandbox.defaults?.accountId ?? "";
    sandbox.configure({ connections: { overloadResponse: "403" } });
    const api = apiClient(sandbox);
    try {
      const first = Array.from({ length: 10 }, () => api.get("/ping"));
      await waitForInFlight(accountId, 10);
      const eleventh = await api.get("/ping", { responseType: "text" });
      await Promise.all(first);

      expect(eleventh.status).toBe(403);
      expect(eleventh.data).toBe("");
      expect(eleventh.headers["content-length"]).toBe("0");
      expect(sandbox.accountStats(accountId).rejectedForbidden).toBe(1);
    } finally {
      sandbox.configure({ connections: { overloadResponse: "429" } });
    }
  });

  it("counts the limit per account: another account's requests are not refused", async () => {
    const other = sandbox.createAccount({ dc: "us21", name: "Second plant" });
    const accountId = sandbox.defaults?.accountId ?? "";
    const mine = apiClient(sandbox);
    const theirs = apiClient(sandbox, { apiKey: other.apiKey });

    const busy = Array.from({ length: 10 }, () => mine.get("/ping"));
    await waitForInFlight(accountId, 10);
    const theirAnswers = await Promise.all(Array.from({ length: 10 }, () => theirs.get("/ping")));
    await Promise.all(busy);

    expect(theirAnswers.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(sandbox.accountStats(other.account.id).peakInFlight).toBe(10);
  });
});
