import { describe, expect, it } from "vitest";

import { mapCustomer } from "./customer.mapper.js";
import { buildManagedTags, normaliseTagPrefix, tagChanges } from "./member-tags.mapper.js";
import type { TCustomerOrderStats } from "./mapping.types.js";
import { NOW, plexAddress, plexContact, plexCustomer } from "./testing/plex.fixtures.js";

const facts = {
  kind: "customer" as const,
  industries: ["Aerospace & Defense"],
  region: "Bajío",
  customerType: "Tier 1",
  accountCategory: "Key Account",
};

function stats(lastOrderDate: string | undefined, orderCount = 3): TCustomerOrderStats {
  return { orderCount, lastOrderDate, lifetimeRevenue: 10, productCategories: ["Die Castings"] };
}

describe("buildManagedTags", () => {
  it("builds prefixed, slugged tags for each facet", () => {
    expect(buildManagedTags(facts, "plex:", NOW, 365)).toEqual([
      "plex:account:key-account",
      "plex:customer",
      "plex:industry:aerospace-and-defense",
      "plex:region:bajio",
      "plex:type:tier-1",
    ]);
  });

  it("adds product categories and the buyer state relative to now", () => {
    const recent = buildManagedTags(
      { ...facts, stats: stats("2025-01-15T00:00:00Z") },
      "plex:",
      NOW,
      365,
    );
    const old = buildManagedTags(
      { ...facts, stats: stats("2023-01-15T00:00:00Z") },
      "plex:",
      NOW,
      365,
    );
    const none = buildManagedTags({ ...facts, stats: stats(undefined, 0) }, "plex:", NOW, 365);

    expect(recent).toContain("plex:category:die-castings");
    expect(recent).toContain("plex:active-buyer");
    expect(old).toContain("plex:lapsed");
    expect(old).not.toContain("plex:active-buyer");
    expect(none).toContain("plex:prospect");
    expect(
      buildManagedTags(facts, "plex:", NOW, 365).some((tag) => /buyer|lapsed|prospect/.test(tag)),
    ).toBe(false);
  });

  it("moves a customer from active buyer to lapsed as time passes, with no new data", () => {
    const withStats = { ...facts, stats: stats("2024-06-15T00:00:00Z") };
    const later = new Date("2025-06-16T00:00:00Z");

    expect(buildManagedTags(withStats, "plex:", NOW, 365)).toContain("plex:active-buyer");
    expect(buildManagedTags(withStats, "plex:", later, 365)).toContain("plex:lapsed");
  });

  it("keeps every tag lower-case ASCII and at most 100 characters", () => {
    const tags = buildManagedTags(
      { ...facts, industries: ["Ｍｅｄｉｃａｌ Devices", "x".repeat(500), "汽车"], region: null },
      "plex:",
      NOW,
      365,
    );

    for (const tag of tags) {
      expect(tag).toMatch(/^plex:[a-z0-9:-]+$/);
      expect(tag.length).toBeLessThanOrEqual(100);
    }
    expect(tags).toContain("plex:industry:medical-devices");
  });
});

describe("mapCustomer tags", () => {
  it("marks the customer's member and contacts differently and uses the configured prefix", () => {
    const mapping = mapCustomer(
      { customer: plexCustomer(), addresses: [plexAddress()], contacts: [plexContact()] },
      { now: NOW, tagPrefix: "ERP/" },
    );
    const [customerTags, contactTags] = mapping.members.map((member) => member.tags);

    expect(customerTags).toContain("erp/customer");
    expect(contactTags).toContain("erp/contact");
    expect(contactTags).toContain("erp/role:purchasing");
    expect([...customerTags!, ...contactTags!].every((tag) => tag.startsWith("erp/"))).toBe(true);
  });
});

describe("tagChanges", () => {
  it("activates new managed tags and deactivates managed tags no longer wanted", () => {
    expect(
      tagChanges(
        ["plex:customer", "plex:active-buyer", "plex:industry:automotive"],
        ["plex:customer", "plex:lapsed", "plex:industry:automotive"],
      ),
    ).toEqual([
      { name: "plex:active-buyer", status: "inactive" },
      { name: "plex:lapsed", status: "active" },
    ]);
  });

  it("never touches tags users set (without the prefix)", () => {
    const changes = tagChanges(
      ["VIP", "plex:prospect", "Trade show 2024"],
      ["plex:active-buyer", "VIP"],
    );

    expect(changes).toEqual([
      { name: "plex:active-buyer", status: "active" },
      { name: "plex:prospect", status: "inactive" },
    ]);
  });

  it("compares case-insensitively, since Mailchimp changes the case of tags", () => {
    expect(tagChanges(["Plex:Customer"], ["plex:customer"])).toEqual([]);
  });

  it("answers nothing when nothing changed", () => {
    expect(tagChanges(["plex:customer"], ["plex:customer"])).toEqual([]);
  });

  it("refuses an empty prefix, which would make every user tag look managed", () => {
    expect(normaliseTagPrefix("")).toBe("plex:");
    expect(tagChanges(["VIP"], [], "")).toEqual([]);
  });
});
