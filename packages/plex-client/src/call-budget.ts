/**
 * Plex's call budget, shared by every replica and every caller of the same application key:
 * "most APIs … are limited to 200 calls per minute" per key (reference plex-api.md §2.7). A
 * sliding 60-second window lives in Redis (a sorted set of call timestamps, Redis' own clock),
 * so the budget holds no matter how many processes call Plex. A 429 pauses the key for everyone.
 */
import { createHash, randomUUID } from "node:crypto";

import type { Redis } from "ioredis";

import { sleep } from "@ml-connector/runtime";

const WINDOW_MS = 60_000;

// Returns 0 when a call may go now (and records it), otherwise the milliseconds to wait.
const ACQUIRE_SCRIPT = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

export type TCallBudgetOptions = {
  redis: Redis;
  /** The credential the budget belongs to; only its hash is used in Redis keys. */
  keyIdentity: string;
  /** Calls per window; a little under Plex's 200 leaves room for clock and network jitter. */
  callsPerMinute?: number;
  /** The window, 60 s for Plex; shorter only in tests. */
  windowMs?: number;
  /**
   * Extra width of the window the budget counts in. Calls wait for a slot together and leave
   * together; if the budget's window were exactly Plex's, any difference in network delay
   * between an old call and a new one would let Plex see one call too many. Default: 5 % of the
   * window, at least 200 ms.
   */
  guardMs?: number;
  prefix?: string;
};

export class PlexCallBudget {
  private readonly zsetKey: string;
  private readonly pauseKey: string;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(private readonly options: TCallBudgetOptions) {
    const digest = createHash("sha256").update(options.keyIdentity).digest("hex").slice(0, 24);
    const prefix = options.prefix ?? "mlc";
    this.zsetKey = `${prefix}:plex-budget:${digest}`;
    this.pauseKey = `${prefix}:plex-budget:${digest}:pause`;
    this.limit = options.callsPerMinute ?? 190;
    const windowMs = options.windowMs ?? WINDOW_MS;
    this.windowMs = windowMs + (options.guardMs ?? Math.max(200, Math.round(windowMs * 0.05)));
  }

  /** Waits until a call fits in the budget, then records it. */
  async acquire(signal?: AbortSignal): Promise<number> {
    let waitedMs = 0;
    for (;;) {
      const wait = (await this.options.redis.eval(
        ACQUIRE_SCRIPT,
        2,
        this.zsetKey,
        this.pauseKey,
        this.windowMs,
        this.limit,
        randomUUID(),
      )) as number;
      if (wait === 0) return waitedMs;
      const delay = Math.min(wait, 5_000);
      await sleep(delay, signal);
      waitedMs += delay;
    }
  }

  /** After a 429: every caller of this key waits `ms` before its next call. */
  async pause(ms: number): Promise<void> {
    await this.options.redis.set(this.pauseKey, "1", "PX", Math.max(1, Math.round(ms)));
  }

  /** Calls recorded in the current window (for metrics and the console). */
  async used(): Promise<number> {
    const now = Date.now();
    await this.options.redis.zremrangebyscore(this.zsetKey, "-inf", now - this.windowMs);

    return this.options.redis.zcard(this.zsetKey);
  }
}
