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
