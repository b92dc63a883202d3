import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

import { sleep } from "@ml-connector/runtime";

import { MailchimpConnectionSemaphore } from "./connection-semaphore.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("MailchimpConnectionSemaphore", () => {
  const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL), new Redis(REDIS_URL)];
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  it("never lets more than the cap run at once across replicas", async () => {
    const accountIdentity = randomUUID();
    const replicas = connections.map(
      (redis) =>
        new MailchimpConnectionSemaphore({ redis, accountIdentity, maxInFlight: 3, prefix: "t" }),
    );
    let running = 0;
    let peak = 0;

    await Promise.all(
      Array.from({ length: 24 }, async (_, index) => {
        const semaphore = replicas[index % replicas.length]!;
        const lease = await semaphore.acquire();
        running += 1;
        peak = Math.max(peak, running);
        await sleep(15);
        running -= 1;
        await semaphore.release(lease);
      }),
    );

    expect(peak).toBe(3);
    expect(await replicas[0]!.inFlight()).toBe(0);
  });

  it("lets a dead holder's lease lapse", async () => {
    const semaphore = new MailchimpConnectionSemaphore({
      redis: connections[0]!,
      accountIdentity: randomUUID(),
      maxInFlight: 1,
      leaseMs: 200,
      prefix: "t",
    });
    await semaphore.acquire();
    const startedAt = Date.now();

    await semaphore.acquire();

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
  });

  it("pauses every caller of the account after a rate-limit answer", async () => {
    const accountIdentity = randomUUID();
    const first = new MailchimpConnectionSemaphore({ redis: connections[0]!, accountIdentity });
    const second = new MailchimpConnectionSemaphore({ redis: connections[1]!, accountIdentity });
    await first.pause(300);
    const startedAt = Date.now();

    const lease = await second.acquire();

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    await second.release(lease);
  });
});
