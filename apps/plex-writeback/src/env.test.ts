import { describe, expect, it } from "vitest";

import { ConfigError, parseEnv } from "@ml-connector/runtime";

import { ZEnv } from "./env.js";

describe("plex-writeback configuration", () => {
  it("collects campaign reports 1 h, 6 h, 1 d, 3 d and 7 d after the send by default", () => {
    expect(parseEnv(ZEnv, {}).REPORT_COLLECTION_INTERVALS).toEqual([
      3_600_000, 21_600_000, 86_400_000, 259_200_000, 604_800_000,
    ]);
  });

  it("reads shorter intervals for tests and refuses unordered or unreadable ones", () => {
    expect(
      parseEnv(ZEnv, { REPORT_COLLECTION_INTERVALS: "300ms, 5s,2m" }).REPORT_COLLECTION_INTERVALS,
    ).toEqual([300, 5_000, 120_000]);
    expect(() => parseEnv(ZEnv, { REPORT_COLLECTION_INTERVALS: "6h,1h" })).toThrow(ConfigError);
    expect(() => parseEnv(ZEnv, { REPORT_COLLECTION_INTERVALS: "soon" })).toThrow(ConfigError);
  });

  it("takes the public webhook URL without a trailing slash", () => {
    expect(
      parseEnv(ZEnv, { WEBHOOK_PUBLIC_URL: "https://hooks.example.com/" }).WEBHOOK_PUBLIC_URL,
    ).toBe("https://hooks.example.com");
  });
});
