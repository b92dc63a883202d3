import { describe, expect, it } from "vitest";

import { fullJitterDelay, parseRetryAfter, sleep } from "./backoff.js";

describe("fullJitterDelay", () => {
  it("stays between zero and the exponential bound, capped", () => {
    const options = { baseMs: 100, capMs: 1_000 };

    expect(fullJitterDelay(1, options, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, options, () => 0.999)).toBe(399);
    expect(fullJitterDelay(10, options, () => 0.999)).toBe(999);
    expect(fullJitterDelay(4, options, () => 0)).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-12-03T10:00:00Z");

    expect(parseRetryAfter("7")).toBe(7_000);
    expect(parseRetryAfter("Thu, 03 Dec 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe("sleep", () => {
  it("stops waiting when aborted", async () => {
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    controller.abort();

    await expect(waiting).rejects.toThrow("aborted");
  });
});
