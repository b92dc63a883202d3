import { describe, expect, it } from "vitest";

import {
  cleanText,
  finiteNumber,
  isoDate,
  isoDateTime,
  roundMoney,
  slug,
  truncate,
} from "./text.normalizer.js";

describe("cleanText", () => {
  it("trims, collapses whitespace and removes control characters", () => {
    expect(cleanText("  Acme\tStamping\n Inc.\u0000 ")).toBe("Acme Stamping Inc.");
  });

  it("keeps Unicode names intact (NFC)", () => {
    expect(cleanText("Mu\u0308ller Pra\u0308zisionsteile")).toBe("Müller Präzisionsteile");
    expect(cleanText("上海精密零件有限公司")).toBe("上海精密零件有限公司");
  });

  it("drops lone surrogates, which would make the body invalid UTF-8", () => {
    expect(cleanText("Acme\ud800 Inc")).toBe("Acme Inc");
  });

  it("answers undefined for blanks and non-text", () => {
    expect(cleanText("   ")).toBeUndefined();
    expect(cleanText(null)).toBeUndefined();
    expect(cleanText({ name: "x" })).toBeUndefined();
    expect(cleanText(42)).toBe("42");
  });

  it("bounds the length without splitting a surrogate pair", () => {
    expect(cleanText("x".repeat(10_000))).toHaveLength(255);
    expect(truncate("ab😀cd", 3)).toBe("ab");
    expect(truncate("ab😀cd", 4)).toBe("ab😀");
  });
});

describe("slug", () => {
  it.each([
    ["Aerospace & Defense", "aerospace-and-defense"],
    ["Tier 1", "tier-1"],
    ["Société Générale d'Usinage", "societe-generale-d-usinage"],
    ["Straße Ærø Łódź", "strasse-aero-lodz"],
    ["  --Great  Lakes-- ", "great-lakes"],
  ])("turns %s into %s", (value, expected) => {
    expect(slug(value)).toBe(expected);
  });

  it("gives text without Latin letters a stable short hash", () => {
    const first = slug("汽车");
    expect(first).toMatch(/^x[0-9a-f]{8}$/);
    expect(slug("汽车")).toBe(first);
    expect(slug("电子")).not.toBe(first);
  });

  it("is bounded", () => {
    expect(slug("word ".repeat(50))!.length).toBeLessThanOrEqual(40);
    expect(slug("word ".repeat(50))).not.toMatch(/-$/);
  });
});

describe("dates", () => {
  it.each([
    ["2025-03-10T08:30:00Z", "2025-03-10T08:30:00.000Z"],
    ["2025-03-10T08:30:00.1234567Z", "2025-03-10T08:30:00.123Z"],
    ["2025-03-10T08:30:00", "2025-03-10T08:30:00.000Z"],
    ["2025-03-10", "2025-03-10T00:00:00.000Z"],
    ["2025-03-10T01:30:00+02:00", "2025-03-09T23:30:00.000Z"],
    ["2025-03-10 08:30", "2025-03-10T08:30:00.000Z"],
  ])("reads %s as %s", (value, expected) => {
    expect(isoDateTime(value)).toBe(expected);
  });

  it.each(["2025-02-30", "2025-13-01", "9999-12-31", "0001-01-01", "yesterday", "", null, 17])(
    "refuses the odd date %j",
    (value) => {
      expect(isoDateTime(value)).toBeUndefined();
    },
  );

  it("gives the YYYY-MM-DD form date merge fields take", () => {
    expect(isoDate("2024-02-29T23:59:59Z")).toBe("2024-02-29");
  });
});

describe("numbers", () => {
  it("accepts finite numbers and numeric strings only", () => {
    expect(finiteNumber(3.5)).toBe(3.5);
    expect(finiteNumber(" 12.50 ")).toBe(12.5);
    expect(finiteNumber(Number.NaN)).toBeUndefined();
    expect(finiteNumber(Infinity)).toBeUndefined();
    expect(finiteNumber("12,50")).toBeUndefined();
  });

  it("rounds money to cents", () => {
    expect(roundMoney(0.1 + 0.2)).toBe(0.3);
    expect(roundMoney(1.005)).toBe(1.01);
    expect(roundMoney(12345.678)).toBe(12345.68);
  });
});
