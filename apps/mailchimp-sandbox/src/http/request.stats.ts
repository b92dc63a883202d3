/**
 * Counters the benchmarks and tests read: requests per endpoint (method + spec path template) and
 * per status, 429s and body-less 403s answered. Per-account concurrency lives on the account.
 */
export type TEndpointStats = { requests: number; byStatus: Record<string, number> };

export class RequestStats {
  private readonly endpoints = new Map<string, TEndpointStats>();
  tooManyRequests = 0;
  forbiddenEmpty = 0;
  dropped = 0;
  total = 0;

  record(endpoint: string, status: number | "dropped"): void {
    this.total += 1;
    const stats = this.endpoints.get(endpoint) ?? { requests: 0, byStatus: {} };
    stats.requests += 1;
    const key = String(status);
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
    this.endpoints.set(endpoint, stats);
  }

  snapshot(): {
    total: number;
    tooManyRequests: number;
    forbiddenEmpty: number;
    dropped: number;
    endpoints: Record<string, TEndpointStats>;
  } {
    return {
      total: this.total,
      tooManyRequests: this.tooManyRequests,
      forbiddenEmpty: this.forbiddenEmpty,
      dropped: this.dropped,
      endpoints: Object.fromEntries(
        [...this.endpoints].map(([key, value]) => [
          key,
          { ...value, byStatus: { ...value.byStatus } },
        ]),
      ),
    };
  }

  reset(): void {
    this.endpoints.clear();
    this.tooManyRequests = 0;
    this.forbiddenEmpty = 0;
    this.dropped = 0;
    this.total = 0;
  }
}
