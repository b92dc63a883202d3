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

  it("lets a dead holder's lease lapse within one lease time", async () => {
    const accountIdentity = randomUUID();
    // The holder's own Redis connection dies with it: its renewals stop.
    const doomed = new Redis(REDIS_URL);
    const holder = new MailchimpConnectionSemaphore({
      redis: doomed,
      accountIdentity,
      maxInFlight: 1,
      leaseMs: 300,
      prefix: "t",
    });
    const survivor = new MailchimpConnectionSemaphore({
      redis: connections[0]!,
      accountIdentity,
      maxInFlight: 1,
      leaseMs: 300,
      prefix: "t",
    });
    await holder.acquire();
    doomed.disconnect();
    const startedAt = Date.now();

    const lease = await survivor.acquire();

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await survivor.release(lease);
  });

  it("keeps a live holder's lease for as long as its request takes", async () => {
    const accountIdentity = randomUUID();
    const options = { accountIdentity, maxInFlight: 1, leaseMs: 300, prefix: "t" };
    const holder = new MailchimpConnectionSemaphore({ redis: connections[0]!, ...options });
    const other = new MailchimpConnectionSemaphore({ redis: connections[1]!, ...options });
    const lease = await holder.acquire();
    let otherGotIn = 0;
    const waiting = other.acquire().then((taken) => {
      otherGotIn = Date.now();
      return taken;
    });

    // Four lease times pass while the "request" is still running.
    await sleep(1_200);
    expect(otherGotIn).toBe(0);
    const releasedAt = Date.now();
    await holder.release(lease);
    await other.release(await waiting);

    expect(otherGotIn).toBeGreaterThanOrEqual(releasedAt);
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
