/**
 * Mailchimp allows 10 simultaneous connections per account and answers 429 past that (reference
 * mailchimp-api.md §2). This semaphore caps in-flight requests per account across every replica:
 * each request holds a lease in a Redis sorted set, scored by its expiry. A live holder renews
 * its leases every third of the lease time, however long Mailchimp takes to answer; a crashed
 * process's leases lapse within one lease time (15 s by default) instead of blocking the account
 * for a whole request timeout. A 429 or body-less 403 pauses the whole account, not only the
 * caller that saw it.
 */
import { createHash, randomUUID } from "node:crypto";

import type { Redis } from "ioredis";

import { sleep } from "@ml-connector/runtime";

// Returns 0 when the lease was taken, otherwise milliseconds to wait before trying again.
const ACQUIRE_SCRIPT = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 0
end
return -1
`;

// Pushes the expiry of leases this process still holds (only those still in the set).
const RENEW_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for index = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[index])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 0
`;

export type TSemaphoreOptions = {
  redis: Redis;
  /** The account the cap belongs to (API key or OAuth token); only a hash reaches Redis. */
  accountIdentity: string;
  /** In-flight requests allowed per account; Mailchimp's cap is 10, the default leaves room. */
  maxInFlight?: number;
  /** How long a lease outlives its holder; live holders renew theirs every third of it. */
  leaseMs?: number;
  prefix?: string;
};

export class MailchimpConnectionSemaphore {
  private readonly setKey: string;
  private readonly pauseKey: string;
  readonly maxInFlight: number;
  private readonly leaseMs: number;
  private readonly held = new Set<string>();
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TSemaphoreOptions) {
    const digest = createHash("sha256").update(options.accountIdentity).digest("hex").slice(0, 24);
    const prefix = options.prefix ?? "mlc";
    this.setKey = `${prefix}:mailchimp-inflight:${digest}`;
    this.pauseKey = `${prefix}:mailchimp-inflight:${digest}:pause`;
    this.maxInFlight = Math.min(10, Math.max(1, options.maxInFlight ?? 8));
    this.leaseMs = Math.max(100, options.leaseMs ?? 15_000);
  }

  /** Waits for a free slot; returns the lease to pass to release(). */
  async acquire(signal?: AbortSignal): Promise<string> {
    const lease = randomUUID();
    for (let round = 0; ; round += 1) {
      const wait = (await this.options.redis.eval(
        ACQUIRE_SCRIPT,
        2,
        this.setKey,
        this.pauseKey,
        this.maxInFlight,
        this.leaseMs,
        lease,
      )) as number;
      if (wait === 0) {
        this.hold(lease);
        return lease;
      }
      // Full: poll again soon, spread out so waiting callers do not stampede.
      const delay = wait > 0 ? Math.min(wait, 5_000) : 5 + Math.floor(Math.random() * 20);
      await sleep(delay, signal);
      if (round > 100_000) throw new Error("mailchimp connection slot never became free");
    }
  }

  async release(lease: string): Promise<void> {
    this.held.delete(lease);
    if (this.held.size === 0) {
      clearInterval(this.renewTimer);
      this.renewTimer = undefined;
    }
    await this.options.redis.zrem(this.setKey, lease);
  }

  private hold(lease: string): void {
    this.held.add(lease);
    if (this.renewTimer !== undefined) return;
    this.renewTimer = setInterval(() => {
      if (this.held.size === 0) return;
      // A failed renewal (Redis away) is not fatal: the lease lapses and the cap stays safe.
      this.options.redis
        .eval(RENEW_SCRIPT, 1, this.setKey, this.leaseMs, ...this.held)
        .catch(() => undefined);
    }, this.leaseMs / 3);
    this.renewTimer.unref();
  }

  /** After a 429 / body-less 403: every caller of the account waits `ms`. */
  async pause(ms: number): Promise<void> {
    await this.options.redis.set(this.pauseKey, "1", "PX", Math.max(1, Math.round(ms)));
  }

  async inFlight(): Promise<number> {
    await this.options.redis.zremrangebyscore(this.setKey, "-inf", Date.now());

    return this.options.redis.zcard(this.setKey);
  }
}
