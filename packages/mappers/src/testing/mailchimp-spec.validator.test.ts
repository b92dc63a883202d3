/**
 * The spec checks the property tests rely on must be able to fail: each case below is a body
 * Mailchimp's spec refuses.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { MailchimpSpecValidator } from "./mailchimp-spec.validator.js";

let spec: MailchimpSpecValidator;
beforeAll(() => {
  spec = new MailchimpSpecValidator();
});

const order = {
  id: "o-1",
  customer: { id: "c-1" },
  currency_code: "USD",
  order_total: 25,
  lines: [{ id: "l-1", product_id: "p-1", product_variant_id: "p-1", quantity: 2, price: 12.5 }],
  processed_at_foreign: "2025-03-10T08:30:00.000Z",
};

describe("MailchimpSpecValidator", () => {
  it("accepts valid bodies", () => {
    expect(spec.errors("order", order)).toEqual([]);
    expect(
      spec.errors("member", {
        email_address: "a@b.com",
        status_if_new: "subscribed",
        merge_fields: {
          FNAME: "Ana",
          ADDRESS: { addr1: "1 Main", city: "X", state: "MI", zip: "1" },
        },
      }),
    ).toEqual([]);
  });

  it.each([
    ["a fractional quantity", { ...order, lines: [{ ...order.lines[0], quantity: 2.5 }] }],
    ["a line without a price", { ...order, lines: [{ ...order.lines[0], price: undefined }] }],
    ["a total given as text", { ...order, order_total: "25.00" }],
    ["a date-time without a zone", { ...order, processed_at_foreign: "2025-03-10 08:30" }],
    ["a field the spec does not have", { ...order, total: 25 }],
    ["a missing customer", { ...order, customer: undefined }],
  ])("refuses an order with %s", (_case, body) => {
    expect(spec.errors("order", JSON.parse(JSON.stringify(body)))).not.toEqual([]);
  });

  it("refuses members without status_if_new or with merge fields that are not an object", () => {
    expect(spec.errors("member", { email_address: "a@b.com" })).not.toEqual([]);
    expect(
      spec.errors("member", { email_address: "a@b.com", status_if_new: "active" }),
    ).not.toEqual([]);
    expect(
      spec.errors("member", {
        email_address: "a@b.com",
        status_if_new: "subscribed",
        merge_fields: [],
      }),
    ).not.toEqual([]);
  });

  it("refuses e-commerce customers with a long id or without opt_in_status", () => {
    const customer = { id: "c".repeat(51), email_address: "a@b.com", opt_in_status: false };
    expect(spec.errors("ecommerceCustomer", customer)).not.toEqual([]);
    expect(spec.errors("ecommerceCustomer", { id: "c", email_address: "a@b.com" })).not.toEqual([]);
  });

  it("refuses products without variants or with an untitled variant", () => {
    expect(spec.errors("product", { id: "p", title: "P" })).not.toEqual([]);
    expect(spec.errors("product", { id: "p", title: "P", variants: [{ id: "p" }] })).not.toEqual(
      [],
    );
  });
});
