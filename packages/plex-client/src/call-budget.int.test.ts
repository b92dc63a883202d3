import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

import { PlexCallBudget } from "./call-budget.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("PlexCallBudget", () => {
  const replicaA = new Redis(REDIS_URL);
  const replicaB = new Redis(REDIS_URL);
  afterAll(async () => {
    await replicaA.quit();
    await replicaB.quit();
  });

  it("lets the budget through at once, then makes the next caller wait for the window", async () => {
    const keyIdentity = `key-${randomUUID()}`;
    const budget = new PlexCallBudget({
      redis: replicaA,
      keyIdentity,
      callsPerMinute: 5,
      windowMs: 1_000,
      prefix: "mlc-test",
    });

    const waits = [];
    for (let call = 0; call < 5; call += 1) waits.push(await budget.acquire());
    const startedAt = Date.now();
    const sixthWait = await budget.acquire();

    expect(waits).toEqual([0, 0, 0, 0, 0]);
    expect(sixthWait).toBeGreaterThan(0);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(500);
  });

  it("is shared by every replica using the same key, and never stored under the key itself", async () => {
    const keyIdentity = `secret-key-${randomUUID()}`;
    const options = { keyIdentity, callsPerMinute: 4, windowMs: 60_000, prefix: "mlc-test" };
    const onA = new PlexCallBudget({ ...options, redis: replicaA });
    const onB = new PlexCallBudget({ ...options, redis: replicaB });

    await onA.acquire();
    await onA.acquire();
    await onB.acquire();
    await onB.acquire();

    expect(await onA.used()).toBe(4);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await expect(onB.acquire(controller.signal)).rejects.toThrow("aborted");
    const keys = await replicaA.keys("mlc-test:plex-budget:*");
    expect(keys.join(" ")).not.toContain(keyIdentity);
  });

  it("holds every caller of the key back after a 429 pause", async () => {
    const keyIdentity = `key-${randomUUID()}`;
    const budget = new PlexCallBudget({ redis: replicaA, keyIdentity, prefix: "mlc-test" });
    const other = new PlexCallBudget({ redis: replicaB, keyIdentity, prefix: "mlc-test" });

    await budget.pause(400);
    const startedAt = Date.now();
    await other.acquire();

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(350);
  });
});
