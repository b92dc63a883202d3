/**
 * Access tokens obtained at run time (OAuth client credentials) live in process memory only —
 * never in Postgres, Redis, a job payload or a log. This cache follows reliability-practice.md
 * §6.1: expiry computed from the moment *before* the request was sent, refresh once
 * `now >= expiresAt - skew` with skew = max(60 s, 10 % of the lifetime), a single in-flight
 * refresh per key that concurrent callers share, and invalidation that only drops the token the
 * caller actually used (so a 401 racing a refresh does not throw away the fresh token).
 */
import { registerSecret } from "@ml-connector/runtime";

export type TFetchedToken = {
  accessToken: string;
  /** Lifetime in seconds (OAuth `expires_in`). */
  expiresInSeconds: number;
};

export type TAccessTokenCacheOptions = {
  /** Lower bound of the refresh margin. Default 60 s. */
  minSkewMs?: number;
  /** Share of the lifetime used as refresh margin when larger than minSkewMs. Default 0.1. */
  skewRatio?: number;
  /** The clock, for tests. */
  now?: () => number;
};

type TCachedToken = { accessToken: string; refreshAtMs: number; expiresAtMs: number };

export class AccessTokenCache {
  readonly #tokens = new Map<string, TCachedToken>();
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #minSkewMs: number;
  readonly #skewRatio: number;
  readonly #now: () => number;

  constructor(options: TAccessTokenCacheOptions = {}) {
    this.#minSkewMs = options.minSkewMs ?? 60_000;
    this.#skewRatio = options.skewRatio ?? 0.1;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The cached token for `key` while it is fresh; otherwise fetches one. Concurrent callers of the
   * same key share one fetch. `key` should identify connection, client id and scope.
   */
  async get(key: string, fetchToken: () => Promise<TFetchedToken>): Promise<string> {
    const cached = this.#tokens.get(key);
    if (cached !== undefined && this.#now() < cached.refreshAtMs) return cached.accessToken;

    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return pending;

    const refresh = this.#refresh(key, fetchToken).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, refresh);

    return refresh;
  }

  /** The cached token even if due for refresh, while not expired; for diagnostics and tests. */
  peek(key: string): string | undefined {
    const cached = this.#tokens.get(key);
    if (cached === undefined || this.#now() >= cached.expiresAtMs) return undefined;

    return cached.accessToken;
  }

  /**
   * Drops the cached token after the server refused it (401). With `usedToken`, drops it only if
   * it is still the cached one: a newer token fetched meanwhile stays.
   */
  invalidate(key: string, usedToken?: string): void {
    const cached = this.#tokens.get(key);
    if (cached === undefined) return;
    if (usedToken !== undefined && cached.accessToken !== usedToken) return;
    this.#tokens.delete(key);
  }

  clear(): void {
    this.#tokens.clear();
  }

  async #refresh(key: string, fetchToken: () => Promise<TFetchedToken>): Promise<string> {
    // Taken before the request: the server's clock starts no earlier than this.
    const requestedAtMs = this.#now();
    const fetched = await fetchToken();
    registerSecret(fetched.accessToken);

    const lifetimeMs = Math.max(0, fetched.expiresInSeconds * 1000);
    const skewMs = Math.max(this.#minSkewMs, lifetimeMs * this.#skewRatio);
    this.#tokens.set(key, {
      accessToken: fetched.accessToken,
      expiresAtMs: requestedAtMs + lifetimeMs,
      refreshAtMs: requestedAtMs + lifetimeMs - skewMs,
    });

    return fetched.accessToken;
  }
}
