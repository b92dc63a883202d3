import { describe, expect, it } from "vitest";

import { AccessTokenCache, type TFetchedToken } from "./access-token.cache.js";

/** A token endpoint stand-in: counts calls, answers after a tick with numbered tokens. */
function tokenEndpoint(expiresInSeconds: number): {
  fetch: () => Promise<TFetchedToken>;
  calls: () => number;
} {
  let calls = 0;

  return {
    fetch: async () => {
      calls += 1;
      const accessToken = `access-token-${calls}-0123456789`;
      await new Promise((resolve) => setTimeout(resolve, 5));

      return { accessToken, expiresInSeconds };
    },
    calls: () => calls,
  };
}

describe("AccessTokenCache", () => {
  it("answers 100 concurrent callers of an empty cache with one token request", async () => {
    const cache = new AccessTokenCache();
    const endpoint = tokenEndpoint(3600);

    const tokens = await Promise.all(
      Array.from({ length: 100 }, () => cache.get("conn-1|client|scope", endpoint.fetch)),
    );

    expect(endpoint.calls()).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(["access-token-1-0123456789"]));
  });

  it("reuses a token until the refresh margin, then fetches a new one", async () => {
    let now = 1_000_000;
    const cache = new AccessTokenCache({ now: () => now });
    const endpoint = tokenEndpoint(3600);

    await cache.get("k", endpoint.fetch);
    now += 3600_000 - 360_001; // just before expiry minus 10 % of the lifetime
    await cache.get("k", endpoint.fetch);
    expect(endpoint.calls()).toBe(1);

    now += 2;
    const refreshed = await cache.get("k", endpoint.fetch);
    expect(endpoint.calls()).toBe(2);
    expect(refreshed).toBe("access-token-2-0123456789");
  });

  it("refreshes a token shorter than the skew on each call, one fetch at a time", async () => {
    const cache = new AccessTokenCache();
    const endpoint = tokenEndpoint(5);

    await cache.get("k", endpoint.fetch);
    await cache.get("k", endpoint.fetch);
    await Promise.all(Array.from({ length: 20 }, () => cache.get("k", endpoint.fetch)));

    expect(endpoint.calls()).toBe(3);
    expect(cache.peek("k")).toBe("access-token-3-0123456789");
  });

  it("drops only the token a refused request used", async () => {
    const cache = new AccessTokenCache();
    const endpoint = tokenEndpoint(3600);
    const first = await cache.get("k", endpoint.fetch);

    cache.invalidate("k", first);
    const second = await cache.get("k", endpoint.fetch);
    cache.invalidate("k", first);

    expect(second).not.toBe(first);
    expect(cache.peek("k")).toBe(second);
    expect(endpoint.calls()).toBe(2);
  });

  it("caches nothing when the token request fails, and the next call tries again", async () => {
    const cache = new AccessTokenCache();
    let attempts = 0;
    const failing = (): Promise<TFetchedToken> => {
      attempts += 1;

      return Promise.reject(new Error("token endpoint answered 503"));
    };

    await expect(cache.get("k", failing)).rejects.toThrow("503");
    await expect(cache.get("k", failing)).rejects.toThrow("503");

    expect(attempts).toBe(2);
    expect(cache.peek("k")).toBeUndefined();
  });

  it("keeps keys apart", async () => {
    const cache = new AccessTokenCache();
    const endpoint = tokenEndpoint(3600);

    const a = await cache.get("conn-a", endpoint.fetch);
    const b = await cache.get("conn-b", endpoint.fetch);

    expect(a).not.toBe(b);
    expect(endpoint.calls()).toBe(2);
  });
});
