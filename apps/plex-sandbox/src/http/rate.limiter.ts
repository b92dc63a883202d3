/**
 * The per-key call budget: "most of the APIs … are limited to 200 calls per minute"
 * (reference/plex-api.md §2.7), enforced as a sliding window (a call is accepted when fewer than
 * `limit` calls were accepted in the preceding `windowMs`). Refused calls do not use the budget.
 * The 429 body and headers are not documented by Plex; the sandbox answers the plausible shape the
 * reference describes: a `{ code, message }` body whose message says "Try again in N seconds"
 * (one public client parses exactly that) and, unless switched off, a Retry-After header.
 */
import type { Response } from "express";

import type { SandboxSettings } from "./sandbox.settings.js";

export class RateLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(private readonly settings: SandboxSettings) {}

  /** Milliseconds until `key` may call again, or 0 when this call is accepted (and counted). */
  take(key: string, nowMs: number): number {
    const { limit, windowMs } = this.settings.rateLimit;
    let times = this.accepted.get(key);
    if (times === undefined) {
      times = [];
      this.accepted.set(key, times);
    }
    const since = nowMs - windowMs;
    let drop = 0;
    while (drop < times.length && times[drop]! <= since) drop += 1;
    if (drop > 0) times.splice(0, drop);
    if (times.length >= limit) return Math.max(1, times[times.length - limit]! + windowMs - nowMs);
    times.push(nowMs);

    return 0;
  }

  reset(): void {
    this.accepted.clear();
  }
}

export function sendRateLimited(res: Response, waitMs: number, settings: SandboxSettings): void {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  if (settings.rateLimit.retryAfterHeader) res.setHeader("Retry-After", String(seconds));
  res.status(429).json({
    code: "TOO_MANY_REQUESTS",
    message:
      `Rate limit of ${settings.rateLimit.limit} calls per minute exceeded. ` +
      `Try again in ${seconds} seconds.`,
  });
}
