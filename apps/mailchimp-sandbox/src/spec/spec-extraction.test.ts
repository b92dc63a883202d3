import { existsSync, readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { extractSubset, type TJsonObject } from "./spec-extraction.js";

const OFFICIAL = "/work/shared/specs/mailchimp-marketing.openapi.json";
const SUBSET = new URL("../../spec/marketing.subset.json", import.meta.url);

describe("spec/marketing.subset.json", () => {
  // The official 5 MB spec lives outside the repository; where it is present, prove the
  // committed subset was extracted from it unchanged.
  it.skipIf(!existsSync(OFFICIAL))("is exactly the extraction of the official spec", () => {
    const official = JSON.parse(readFileSync(OFFICIAL, "utf8")) as TJsonObject;
    const committed = JSON.parse(readFileSync(SUBSET, "utf8")) as unknown;

    expect(committed).toEqual(extractSubset(official));
  });
});
