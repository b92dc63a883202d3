/**
 * The sandbox's notion of "now": the wall clock plus an offset that tests and benchmarks move
 * forward (token expiry, rate-limit windows, modified dates) instead of sleeping.
 */
export class SandboxClock {
  private offsetMs: number;

  /** Never earlier than `notBeforeMs`, so generated history is always in the past. */
  constructor(notBeforeMs = 0) {
    this.offsetMs = Math.max(0, notBeforeMs - Date.now());
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward");
    this.offsetMs += ms;

    return this.now();
  }
}
