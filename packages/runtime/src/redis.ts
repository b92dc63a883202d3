/**
 * Redis connections with the options BullMQ needs for each role (BullMQ "Going to production"):
 * - "worker": waits for Redis forever (maxRetriesPerRequest null), so a Redis restart pauses work
 *   instead of failing jobs;
 * - "producer": fails fast (no offline queue), so an HTTP handler can answer 503 at once instead
 *   of hanging while Redis is down;
 * - "client": ordinary commands (rate limiters, semaphores), retried a few times.
 */
import { Redis, type RedisOptions } from "ioredis";

import type { Logger } from "./logger.js";

export type TRedisRole = "worker" | "producer" | "client";

export function redisOptionsFor(role: TRedisRole): RedisOptions {
  const common: RedisOptions = {
    lazyConnect: false,
    enableReadyCheck: true,
    connectTimeout: 5_000,
    // Reconnect with a bounded backoff; never give up (a service without Redis is useless).
    retryStrategy: (attempt) => Math.min(1_000 * attempt, 10_000),
  };
  if (role === "worker") return { ...common, maxRetriesPerRequest: null };
  if (role === "producer") return { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false };

  return { ...common, maxRetriesPerRequest: 3 };
}

export function createRedis(url: string, role: TRedisRole, log: Logger, name?: string): Redis {
  const redis = new Redis(url, { ...redisOptionsFor(role), connectionName: name });
  // Unhandled "error" events would crash the process; a Redis outage is logged and retried.
  redis.on("error", (err: Error) => {
    log.warn({ err: { message: err.message }, role, connection: name }, "redis connection error");
  });

  return redis;
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off("ready", onReady);
    };
    redis.on("ready", onReady);
  });
}

/** Readiness probe: PING, bounded so a hung Redis cannot hang the probe. */
export async function pingRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("redis ping timed out")), timeoutMs);
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a connection politely, falling back to disconnect when Redis is unreachable. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  try {
    await Promise.race([
      redis.quit(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("quit timed out")), 1_000)),
    ]);
  } catch {
    redis.disconnect();
  }
}
