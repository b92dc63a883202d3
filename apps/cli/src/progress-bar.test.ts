import { describe, expect, it } from "vitest";

import { formatProgress } from "./progress-bar.js";

describe("formatProgress", () => {
  it("shows share, counts, rate and the time left", () => {
    expect(formatProgress({ done: 250, total: 1_000, unit: "customers" }, 10_000)).toBe(
      "[########......................] 25% 250/1000 customers · 25/s · ETA 30 s",
    );
  });

  it("says it is still counting when the total is not known yet", () => {
    expect(formatProgress({ done: 5, total: undefined, unit: "customers" }, 1_000)).toBe(
      "5 customers · 5.0/s · counting…",
    );
  });
});
