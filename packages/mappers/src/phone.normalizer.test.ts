import { describe, expect, it } from "vitest";

import { callingCode, countryCode } from "./country.table.js";
import { displayPhone, normalisePhone, phoneKey } from "./phone.normalizer.js";

describe("normalisePhone", () => {
  it.each([
    ["(313) 555-0142", "USA", "13135550142"],
    ["313.555.0142", undefined, "13135550142"],
    ["+1 313 555 0142", "Germany", "13135550142"],
    ["1-313-555-0142", "US", "13135550142"],
    ["313-555-0142 ext. 12", "USA", "13135550142"],
    ["+52 81 1234567", "Mexico", "52811234567"],
    ["089 1234567", "Deutschland", "49891234567"],
    ["0049 89 1234567", "USA", "49891234567"],
    ["49 89 1234567", "DE", "49891234567"],
    ["020 7946 0958", "United Kingdom", "442079460958"],
  ])("normalises %s (country %s) to %s", (raw, country, expected) => {
    expect(normalisePhone(raw, country)).toBe(expected);
  });

  it("keeps the digits as typed when the country cannot be told", () => {
    expect(phoneKey("089 1234567", "Atlantis")).toEqual({
      digits: "0891234567",
      international: false,
    });
  });

  it.each([null, undefined, "", "n/a", "12345", "1".repeat(16), 5551234])(
    "gives no key for %j",
    (raw) => {
      expect(normalisePhone(raw, "USA")).toBeUndefined();
    },
  );

  it("shows international numbers with the plus and unknown ones without", () => {
    expect(displayPhone({ digits: "13135550142", international: true })).toBe("+13135550142");
    expect(displayPhone({ digits: "0891234567", international: false })).toBe("0891234567");
  });
});

describe("country table", () => {
  it.each([
    ["USA", "US"],
    ["United States of America", "US"],
    ["U.S.A.", "US"],
    ["México", "MX"],
    ["Deutschland", "DE"],
    ["  united kingdom ", "GB"],
    ["GBR", "GB"],
    ["ca", "CA"],
    ["Magyarország", "HU"],
    ["Türkiye", "TR"],
  ])("recognises %s as %s", (name, code) => {
    expect(countryCode(name)).toBe(code);
  });

  it("does not guess unknown countries", () => {
    expect(countryCode("Atlantis")).toBeUndefined();
    expect(countryCode(null)).toBeUndefined();
    expect(callingCode("Atlantis")).toBeUndefined();
  });

  it("knows calling codes", () => {
    expect(callingCode("Canada")).toBe("1");
    expect(callingCode("Hungary")).toBe("36");
  });
});
