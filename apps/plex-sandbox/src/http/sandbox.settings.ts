/**
 * Settings that tests and benchmarks change while the sandbox runs (through the control API or
 * the returned handle): the latency model and the call budget. Defaults are the project's
 * latency model (../shared/DESIGN.md): 150 ms per call plus 0.05 ms per returned row, 200 calls
 * per minute per key. Changing a default is a decision for the README, not a tuning knob.
 */
export type TLatencySettings = { baseMs: number; perRowMs: number };

export type TRateLimitSettings = {
  /** Calls a key may make in any window of `windowMs` (sliding window). */
  limit: number;
  windowMs: number;
  /** Send Retry-After with 429 answers (Plex does not document it; switch off to test without). */
  retryAfterHeader: boolean;
  /** Also budget Classic SOAP and UX data-source calls (per web-service user). */
  dataSources: boolean;
};

export const DEFAULT_LATENCY: TLatencySettings = { baseMs: 150, perRowMs: 0.05 };

export const DEFAULT_RATE_LIMIT: TRateLimitSettings = {
  limit: 200,
  windowMs: 60_000,
  retryAfterHeader: true,
  dataSources: false,
};

export class SandboxSettings {
  latency: TLatencySettings;
  rateLimit: TRateLimitSettings;

  constructor(latency?: Partial<TLatencySettings>, rateLimit?: Partial<TRateLimitSettings>) {
    this.latency = { ...DEFAULT_LATENCY, ...latency };
    this.rateLimit = { ...DEFAULT_RATE_LIMIT, ...rateLimit };
  }
}

export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();

  return new Promise((resolve) => setTimeout(resolve, ms));
}
