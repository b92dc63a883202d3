/**
 * Property-based tests (fast-check): no input crashes a mapper, and every body a mapper produces
 * is one Mailchimp's official spec accepts (request schemas of the 3.0.55 spec, objects closed)
 * and whose merge-field values fit their field types.
 */
import { subscriberHash } from "@ml-connector/mailchimp-client";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { contentHash } from "./content-hash.js";
import { computeCustomerOrderStats } from "./customer-stats.aggregator.js";
import { mapCustomer } from "./customer.mapper.js";
import { resolveOptions } from "./mapping.options.js";
import { detectDuplicateEmails } from "./duplicate-email.detector.js";
import { checkEmail } from "./email.rules.js";
import type { TCustomerMapping, TCustomerSource, TMappingOptionsInput } from "./mapping.types.js";
import { toMemberUpsert } from "./member-body.mapper.js";
import { mergeFieldDefinition } from "./merge-field.definitions.js";
import { tagChanges } from "./member-tags.mapper.js";
import { mapSalesOrder } from "./sales-order.mapper.js";
import { roundMoney } from "./text.normalizer.js";
import { MailchimpSpecValidator } from "./testing/mailchimp-spec.validator.js";
import {
  brokenSourceArb,
  customerSourceArb,
  mappingOptionsArb,
  messyEmail,
  plexShipperListArb,
  salesOrderSourceArb,
} from "./testing/plex.arbitraries.js";

let spec: MailchimpSpecValidator;
beforeAll(() => {
  spec = new MailchimpSpecValidator();
});

/** ML_FC_RUNS raises the number of generated cases for a deeper run (default 400). */
const RUNS = { numRuns: Number(process.env.ML_FC_RUNS ?? 400) };
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The problems of one merge-field value against its field type; [] when it fits. */
function mergeValueProblems(tag: string, value: unknown): string[] {
  const field = mergeFieldDefinition(tag);
  if (field === undefined) return [`${tag} is not a provisioned merge field`];

  const text = (v: unknown, max: number) =>
    typeof v === "string" &&
    v.trim() !== "" &&
    v === v.trim() &&
    v.length <= max &&
    !CONTROL.test(v) &&
    !LONE_SURROGATE.test(v);
  switch (field.type) {
    case "text":
    case "phone":
      return text(value, 255) ? [] : [`${tag} is not clean text: ${JSON.stringify(value)}`];
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? [] : [`${tag} not a number`];
    case "date": {
      const valid =
        typeof value === "string" &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
      return valid ? [] : [`${tag} is not YYYY-MM-DD: ${JSON.stringify(value)}`];
    }
    case "address": {
      if (value === null || typeof value !== "object") return [`${tag} is not an object`];
      const address = value as Record<string, unknown>;
      const keys = Object.keys(address);
      const problems = keys
        .filter((key) => !["addr1", "addr2", "city", "state", "zip", "country"].includes(key))
        .map((key) => `${tag}.${key} is not an address key`);
      for (const key of ["addr1", "city", "state", "zip"]) {
        if (!text(address[key], 44)) problems.push(`${tag}.${key} missing or too long`);
      }
      for (const key of ["addr2", "country"]) {
        if (key in address && !text(address[key], 44)) problems.push(`${tag}.${key} bad`);
      }
      return problems;
    }
  }
}

function checkCustomerMapping(
  source: TCustomerSource,
  options: TMappingOptionsInput,
  mapping: TCustomerMapping,
): void {
  const { tagPrefix } = resolveOptions(options);

  expect(Array.isArray(mapping.members)).toBe(true);
  expect(mapping.rejections.filter((r) => r.code === "MAPPING_FAILED")).toEqual([]);

  const emails = mapping.members.map((member) => member.email);
  expect(new Set(emails).size).toBe(emails.length);

  for (const member of mapping.members) {
    expect(checkEmail(member.email)).toEqual({ ok: true, email: member.email });
    expect(member.subscriberHash).toBe(subscriberHash(member.email));

    expect(spec.errors("member", toMemberUpsert(member))).toEqual([]);
    for (const [tag, value] of Object.entries(member.mergeFields)) {
      expect(mergeValueProblems(tag, value)).toEqual([]);
    }

    expect(new Set(member.tags).size).toBe(member.tags.length);
    for (const tag of member.tags) {
      expect(tag.startsWith(tagPrefix)).toBe(true);
      expect(tag.length).toBeLessThanOrEqual(100);
      expect(tag.slice(tagPrefix.length)).toMatch(/^[a-z0-9:-]+$/);
    }

    const identity = mapping.identities.find((candidate) => candidate.email === member.email);
    expect(identity?.subscriberHash).toBe(member.subscriberHash);
  }

  if (mapping.ecommerceCustomer !== undefined) {
    expect(spec.errors("ecommerceCustomer", mapping.ecommerceCustomer)).toEqual([]);
    expect(emails).toContain(mapping.ecommerceCustomer.email_address);
    expect(mapping.ecommerceCustomer.opt_in_status).toBe(false);
  }

  for (const identity of mapping.identities) {
    if (identity.phone !== undefined) expect(identity.phone).toMatch(/^\d{7,15}$/);
  }

  // Reasons mask e-mail addresses: no full address from the input appears in any reason.
  const rawEmails = [
    source?.customer?.email,
    ...(Array.isArray(source?.addresses) ? source.addresses.map((a) => a?.email) : []),
    ...(Array.isArray(source?.contacts) ? source.contacts.map((c) => c?.email) : []),
  ]
    .filter((email): email is string => typeof email === "string")
    .map((email) => email.trim().toLowerCase())
    .filter((email) => /^[^@\s]{2,}@/.test(email));
  for (const rejection of mapping.rejections) {
    expect(rejection.reason.length).toBeGreaterThan(0);
    for (const email of rawEmails) expect(rejection.reason.toLowerCase()).not.toContain(email);
  }
}

describe("mapCustomer properties", () => {
  it("never throws, and every member and e-commerce customer is valid for Mailchimp", () => {
    fc.assert(
      fc.property(customerSourceArb, mappingOptionsArb, (source, options) => {
        checkCustomerMapping(source, options, mapCustomer(source, options));
      }),
      RUNS,
    );
  });

  it("answers malformed input with rejections, never exceptions", () => {
    fc.assert(
      fc.property(brokenSourceArb, mappingOptionsArb, (source, options) => {
        const mapping = mapCustomer(source, options);
        expect(mapping.members).toEqual([]);
        expect(mapping.rejections.length).toBeGreaterThan(0);
        expect(mapping.rejections.filter((r) => r.code === "MAPPING_FAILED")).toEqual([]);
      }),
      RUNS,
    );
  });

  it("is deterministic and does not depend on the order Plex lists addresses and contacts in", () => {
    fc.assert(
      fc.property(customerSourceArb, mappingOptionsArb, (source, options) => {
        const shuffled = {
          ...source,
          addresses: [...source.addresses].reverse(),
          contacts: [...source.contacts].reverse(),
        };
        // Records with equal ids have no defined order between them; the property skips them.
        fc.pre(new Set(source.contacts.map((c) => c.id?.trim())).size === source.contacts.length);
        fc.pre(new Set(source.addresses.map((a) => a.id?.trim())).size === source.addresses.length);

        expect(contentHash(mapCustomer(shuffled, options))).toBe(
          contentHash(mapCustomer(source, options)),
        );
      }),
      RUNS,
    );
  });
});

describe("detectDuplicateEmails properties", () => {
  it("leaves each address with exactly one customer and accounts for every member removed", () => {
    fc.assert(
      fc.property(
        fc.array(customerSourceArb, { minLength: 1, maxLength: 6 }),
        fc.date({ noInvalidDate: true }),
        (sources, now) => {
          const mappings = sources.map((source) => mapCustomer(source, { now }));
          const { mappings: resolved, rejections } = detectDuplicateEmails(mappings);

          const owners = new Map<string, string>();
          for (const mapping of resolved) {
            for (const member of mapping.members) {
              const owner = owners.get(member.email);
              expect(owner === undefined || owner === member.plexCustomerId).toBe(true);
              owners.set(member.email, member.plexCustomerId);
            }
          }
          const before = mappings.reduce((sum, m) => sum + m.members.length, 0);
          const after = resolved.reduce((sum, m) => sum + m.members.length, 0);
          expect(before - after).toBe(rejections.length);
        },
      ),
      { numRuns: Math.ceil(RUNS.numRuns / 3) },
    );
  });
});

describe("tagChanges properties", () => {
  const tag = fc.oneof(
    fc.constantFrom("plex:customer", "plex:lapsed", "plex:active-buyer", "Plex:Customer"),
    fc.string({ maxLength: 12 }).map((s) => `plex:${s}`),
    fc.string({ maxLength: 12 }),
  );

  it("turns the previous managed tags into the next ones and never touches user tags", () => {
    fc.assert(
      fc.property(fc.array(tag), fc.array(tag), fc.array(tag), (previous, next, userTags) => {
        const key = (t: string) => t.trim().toLowerCase();
        const managed = (t: string) => key(t).startsWith("plex:") && key(t).length > 5;
        // Tags users set in Mailchimp; a user tag that happens to carry the prefix is managed.
        userTags = userTags.filter((t) => !managed(t));
        const changes = tagChanges(previous, next);

        for (const change of changes) expect(managed(change.name)).toBe(true);

        const state = new Set([...previous, ...userTags].map(key));
        for (const change of changes) {
          if (change.status === "active") state.add(key(change.name));
          else state.delete(key(change.name));
        }
        const expectedManaged = new Set(next.filter(managed).map(key));
        expect(new Set([...state].filter(managed))).toEqual(expectedManaged);
        for (const user of userTags.filter((t) => !managed(t)))
          expect(state.has(key(user))).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("mapSalesOrder properties", () => {
  it("never throws, and every order and product is valid for Mailchimp", () => {
    fc.assert(
      fc.property(salesOrderSourceArb, (source) => {
        const result = mapSalesOrder(source);

        expect(result.rejection?.code).not.toBe("MAPPING_FAILED");
        expect((result.order === undefined) !== (result.rejection === undefined)).toBe(true);
        if (result.order === undefined) return;

        const { order, products } = result;
        expect(spec.errors("order", order)).toEqual([]);
        for (const product of products) expect(spec.errors("product", product)).toEqual([]);

        const productIds = new Set(products.map((product) => product.id));
        expect(productIds.size).toBe(products.length);
        for (const line of order.lines) {
          expect(productIds.has(line.product_id)).toBe(true);
          expect(Number.isInteger(line.quantity) && line.quantity > 0).toBe(true);
          expect(Number.isFinite(line.price) && line.price >= 0).toBe(true);
        }
        const total = roundMoney(order.lines.reduce((sum, l) => sum + l.quantity * l.price, 0));
        expect(order.order_total).toBe(total);
        expect(order.customer.id.length).toBeLessThanOrEqual(50);
        expect(["pending", "paid", "refunded", "cancelled"]).toContain(order.financial_status);
        expect(["pending", "partially_shipped", "shipped", "cancelled"]).toContain(
          order.fulfillment_status,
        );
        expect(order.currency_code).toMatch(/^[A-Z]{3}$/);
      }),
      RUNS,
    );
  });

  it("survives input of the wrong shape", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (junk, partsById) => {
        const source = { order: junk, lines: junk, partsById } as unknown as Parameters<
          typeof mapSalesOrder
        >[0];
        const result = mapSalesOrder(source);
        expect(result.order === undefined || result.rejection === undefined).toBe(true);
        expect(result.rejection?.code).not.toBe("MAPPING_FAILED");
      }),
      RUNS,
    );
  });
});

describe("computeCustomerOrderStats properties", () => {
  it("turns any mapped history into statistics the customer mapper turns into valid fields", () => {
    fc.assert(
      fc.property(
        fc.array(salesOrderSourceArb, { maxLength: 5 }),
        plexShipperListArb,
        customerSourceArb,
        fc.date({ noInvalidDate: true }),
        (orderSources, shippers, customerSource, now) => {
          const mapped = orderSources.map((source) => mapSalesOrder(source));
          const stats = computeCustomerOrderStats({
            orders: mapped.flatMap((m) => (m.order === undefined ? [] : [m.order])),
            products: mapped.flatMap((m) => m.products),
            shippers,
          });

          expect(Number.isInteger(stats.orderCount) && stats.orderCount >= 0).toBe(true);
          expect(Number.isFinite(stats.lifetimeRevenue)).toBe(true);

          const source = { ...customerSource, stats };
          checkCustomerMapping(source, { now }, mapCustomer(source, { now }));
        },
      ),
      { numRuns: Math.ceil(RUNS.numRuns / 3) },
    );
  });
});

describe("e-mail rules properties", () => {
  it("accepts an address only in the form its subscriber hash is computed from", () => {
    fc.assert(
      fc.property(messyEmail, (raw) => {
        const check = checkEmail(raw);
        if (!check.ok) return;
        expect(check.email).toBe(check.email.trim().toLowerCase());
        expect(check.email.length).toBeLessThanOrEqual(254);
        expect(check.email.split("@")).toHaveLength(2);
      }),
      RUNS,
    );
  });
});
