/**
 * What the sandbox saw, per key: calls made, calls refused with 429 (by the budget or by an
 * injected fault), and the largest number of calls the key made in any window of the budget's
 * length, counted over every attempt (refused ones too). A client that respects the budget never
 * gets a 429 and its peak never exceeds the limit; tests assert exactly that.
 */
export type TKeyStats = {
  calls: number;
  rateLimited: number;
  faults: number;
  peakCallsInWindow: number;
};

export type TStatsSnapshot = {
  windowMs: number;
  totals: { calls: number; rateLimited: number; unauthenticated: number; faults: number };
  keys: Record<string, TKeyStats>;
  /** Highest peakCallsInWindow over all keys. */
  peakCallsInWindow: number;
};

export class CallStats {
  private readonly keys = new Map<string, TKeyStats & { recent: number[] }>();
  private unauthenticated = 0;

  constructor(private readonly windowMs: () => number) {}

  private entry(key: string): TKeyStats & { recent: number[] } {
    let entry = this.keys.get(key);
    if (entry === undefined) {
      entry = { calls: 0, rateLimited: 0, faults: 0, peakCallsInWindow: 0, recent: [] };
      this.keys.set(key, entry);
    }

    return entry;
  }

  /** One attempt by `key` at time `nowMs` (before the budget decides). */
  recordCall(key: string, nowMs: number): void {
    const entry = this.entry(key);
    entry.calls += 1;
    entry.recent.push(nowMs);
    const since = nowMs - this.windowMs();
    let drop = 0;
    while (drop < entry.recent.length && entry.recent[drop]! <= since) drop += 1;
    if (drop > 0) entry.recent.splice(0, drop);
    entry.peakCallsInWindow = Math.max(entry.peakCallsInWindow, entry.recent.length);
  }

  recordRateLimited(key: string): void {
    this.entry(key).rateLimited += 1;
  }

  recordFault(key: string): void {
    this.entry(key).faults += 1;
  }

  recordUnauthenticated(): void {
    this.unauthenticated += 1;
  }

  reset(): void {
    this.keys.clear();
    this.unauthenticated = 0;
  }

  snapshot(): TStatsSnapshot {
    const keys: Record<string, TKeyStats> = {};
    const totals = { calls: 0, rateLimited: 0, unauthenticated: this.unauthenticated, faults: 0 };
    let peak = 0;
    for (const [key, { recent: _recent, ...stats }] of this.keys) {
      keys[key] = stats;
      totals.calls += stats.calls;
      totals.rateLimited += stats.rateLimited;
      totals.faults += stats.faults;
      peak = Math.max(peak, stats.peakCallsInWindow);
    }

    return { windowMs: this.windowMs(), totals, keys, peakCallsInWindow: peak };
  }
}
