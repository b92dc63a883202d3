import { describe, expect, it } from "vitest";

import { IdCodec, MAX_PACKED, isUuid } from "./id.codec.js";

describe("generated ids", () => {
  const codec = new IdCodec(42);

  it("round-trips kind and coordinates and looks like a v4 UUID", () => {
    for (const [kind, packed] of [
      ["customer", 0],
      ["customer", 999_999],
      ["release", 123_456_789],
      ["invoice", MAX_PACKED - 1],
    ] as const) {
      const id = codec.encode(kind, packed);
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe("4");
      expect(codec.decode(id)).toEqual({ kind, packed });
      expect(codec.decode(id.toUpperCase())).toEqual({ kind, packed });
    }
  });

  it("does not recognise random or altered UUIDs", () => {
    const id = codec.encode("customer", 17);
    const altered = `${id.slice(0, 35)}${id[35] === "0" ? "1" : "0"}`;

    expect(codec.decode(altered)).toBeUndefined();
    expect(codec.decode("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    expect(codec.decode("not-a-uuid")).toBeUndefined();
    expect(new IdCodec(43).decode(id)).toBeUndefined();
  });
});

describe("iso", () => {
  it("formats like Date#toISOString", async () => {
    const { iso } = await import("./plant.generator.js");
    for (const ms of [
      0,
      951_782_400_000,
      1_709_164_799_999,
      1_764_547_200_123,
      Date.UTC(2028, 1, 29, 23, 59, 59, 7),
      -1,
    ]) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
    for (let ms = 1_500_000_000_000; ms < 1_900_000_000_000; ms += 3_333_333_337) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
