import { describe, expect, it } from "vitest";

import { UnknownPlexParameterError, buildPlexQuery, toPlexDateTime } from "./plex-query.js";

describe("buildPlexQuery", () => {
  it("writes windows as UTC date-times with a Z, and arrays as repeated parameters", () => {
    const query = buildPlexQuery("/sales/v1/orders", {
      modifiedByDateBegin: new Date("2026-01-01T00:00:00Z"),
      status: ["Open", "Closed"],
      customerId: undefined,
    });

    expect(query.toString()).toBe(
      "modifiedByDateBegin=2026-01-01T00%3A00%3A00.000Z&status=Open&status=Closed",
    );
  });

  it("refuses a parameter the spec does not publish for the path", () => {
    // Sales orders publish modifiedByDate…, not modifiedDate…: Plex would ignore the typo.
    expect(() => buildPlexQuery("/sales/v1/orders", { modifiedDateBegin: new Date() })).toThrow(
      UnknownPlexParameterError,
    );
    expect(() => buildPlexQuery("/mdm/v1/contacts", { modifiedDateBegin: new Date() })).toThrow(
      /would ignore it and return all rows/,
    );
  });

  it("refuses an invalid date instead of sending it", () => {
    expect(() => toPlexDateTime(new Date("not a date"))).toThrow("invalid date");
  });
});
