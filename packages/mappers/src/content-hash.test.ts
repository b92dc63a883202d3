import { describe, expect, it } from "vitest";

import { canonicalJson, contentHash } from "./content-hash.js";
import { mapCustomer } from "./customer.mapper.js";
import { NOW, plexAddress, plexContact, plexCustomer } from "./testing/plex.fixtures.js";

describe("contentHash", () => {
  it("does not depend on key order", () => {
    expect(contentHash({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(
      contentHash({ b: { d: "x", c: [1, 2] }, a: 1 }),
    );
  });

  it("depends on array order and on every value", () => {
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(contentHash({ a: "1" })).not.toBe(contentHash({ a: 1 }));
  });

  it("treats undefined members as absent and normalises odd numbers", () => {
    expect(contentHash({ a: 1, b: undefined })).toBe(contentHash({ a: 1 }));
    expect(canonicalJson({ z: -0, n: Number.NaN })).toBe('{"n":null,"z":0}');
  });

  it("is a sha256 hex digest", () => {
    expect(contentHash({})).toMatch(/^[0-9a-f]{64}$/);
  });

  it("tells an unchanged customer from a changed one", () => {
    const source = {
      customer: plexCustomer(),
      addresses: [plexAddress()],
      contacts: [plexContact()],
    };
    const first = contentHash(mapCustomer(source, { now: NOW }));
    const same = contentHash(mapCustomer(structuredClone(source), { now: NOW }));
    const renamed = contentHash(
      mapCustomer(
        { ...source, customer: plexCustomer({ name: "Acme Stamping LLC" }) },
        { now: NOW },
      ),
    );

    expect(same).toBe(first);
    expect(renamed).not.toBe(first);
  });

  it("survives a cycle instead of recursing forever", () => {
    const value: Record<string, unknown> = { a: 1 };
    value.self = value;
    expect(contentHash(value)).toMatch(/^[0-9a-f]{64}$/);
  });
});
