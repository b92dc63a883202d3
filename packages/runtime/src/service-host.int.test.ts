import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";

import { Job, Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";

import { parseEnv, ZCommonEnv } from "./env.js";
import { createLogger } from "./logger.js";
import { ServiceHost } from "./service-host.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function newHost(shutdownTimeoutMs: number) {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const env = parseEnv(ZCommonEnv, {
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    HTTP_HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
  });
  const log = createLogger({
    service: "test",
    level: "silent",
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
  const host = new ServiceHost({ service: "test", env, port: 0, log, exitOnShutdown: false });

  return { host, prefix };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition not met in time");
}

describe("ServiceHost", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function producerFor(prefix: string): Queue {
    const queue = new Queue("plex-poll", { connection: { url: REDIS_URL }, prefix });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });

    return queue;
  }

  it("answers /healthz and /readyz, and readiness fails once shutdown begins", async () => {
    const { host } = newHost(2_000);
    await host.start();
    const base = `http://127.0.0.1:${host.boundPort}`;

    const health = await fetch(`${base}/healthz`);
    const ready = await fetch(`${base}/readyz`);
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { redis: "ok" } });

    host.addReadinessCheck("postgres", () => Promise.reject(new Error("connection refused")));
    const degraded = await fetch(`${base}/readyz`);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({ checks: { postgres: "connection refused" } });

    await host.stop("test");
    expect(host.isShuttingDown).toBe(true);
  });

  it("lets an in-flight job finish when it fits in the shutdown budget", async () => {
    const { host, prefix } = newHost(3_000);
    let started = false;
    host.addWorker({
      queueKey: "plexPoll",
      handlers: {
        "poll-stream": async () => {
          started = true;
          await new Promise((resolve) => setTimeout(resolve, 500));

          return "done";
        },
      },
    });
    await host.start();
    const queue = producerFor(prefix);
    const job = await queue.add("poll-stream", {
      connectionId: "c-1",
      stream: "customers",
      trigger: "manual",
    });
    await waitFor(() => Promise.resolve(started));

    await host.stop("SIGTERM");

    const finished = await Job.fromId(queue, job.id!);
    expect(await finished!.getState()).toBe("completed");
    expect(finished!.returnvalue).toBe("done");
  });

  it("hands a job that outlives the budget back to the queue without using an attempt", async () => {
    const { host, prefix } = newHost(500);
    let started = false;
    host.addWorker({
      queueKey: "plexPoll",
      handlers: {
        "poll-stream": async (_payload, { signal }) => {
          started = true;
          // Deliberately ignores the signal, like a handler stuck on a slow upstream call.
          await new Promise((resolve) => setTimeout(resolve, 10_000));
          void signal;
        },
      },
    });
    await host.start();
    const queue = producerFor(prefix);
    const job = await queue.add("poll-stream", {
      connectionId: "c-1",
      stream: "orders",
      trigger: "schedule",
    });
    await waitFor(() => Promise.resolve(started));
    const stoppedAt = Date.now();

    await host.stop("SIGTERM");

    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    const returned = await Job.fromId(queue, job.id!);
    expect(["waiting", "delayed", "prioritized"]).toContain(await returned!.getState());
    expect(returned!.attemptsMade).toBe(0);
  });

  it("rejects a job whose payload breaks the registry schema without retrying it", async () => {
    const { host, prefix } = newHost(2_000);
    host.addWorker({
      queueKey: "plexPoll",
      handlers: { "poll-stream": () => Promise.resolve("should not run") },
    });
    await host.start();
    const queue = producerFor(prefix);
    const job = await queue.add("poll-stream", { connectionId: "c-1", stream: "nonsense" });

    await waitFor(async () => (await job.getState()) === "failed");
    const failed = await Job.fromId(queue, job.id!);
    expect(failed!.failedReason).toContain("invalid plex-poll/poll-stream payload");
    expect(failed!.attemptsMade).toBe(1);

    const metrics = await (await fetch(`http://127.0.0.1:${host.boundPort}/metrics`)).text();
    expect(metrics).toMatch(/mlc_jobs_processed_total\{[^}]*outcome="rejected"[^}]*\} 1/);
    expect(metrics).toContain('mlc_queue_depth{queue="plex-poll",state="failed"');
    await host.stop("test");
  });
});
