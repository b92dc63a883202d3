/**
 * E-commerce rules (reference/mailchimp-api.md §4): stores bound to one audience, customers
 * upserted with PUT and their opt-in applied to the audience, orders created with POST only (an
 * existing id is refused; PATCH updates), lines that must reference existing products and
 * variants, customer totals that follow the orders.
 */
import type { AxiosInstance } from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";

let sandbox: SandboxHandle;
let api: AxiosInstance;
let accountId: string;
let listId: string;
let store: string;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  api = apiClient(sandbox);
  accountId = sandbox.defaults?.accountId ?? "";
  listId = sandbox.defaults?.listId ?? "";
  store = `/ecommerce/stores/${sandbox.defaults?.storeId ?? ""}`;
  await api.put(`${store}/products/PART-100`, {
    id: "PART-100",
    title: "Hydraulic fitting",
    variants: [{ id: "PART-100-S", title: "Steel", price: 12.5, sku: "HF-S" }],
  });
});

afterAll(async () => {
  await sandbox.close();
});

function order(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    customer: { id: "CUST-1" },
    currency_code: "USD",
    order_total: 25,
    lines: [
      {
        id: `${id}-1`,
        product_id: "PART-100",
        product_variant_id: "PART-100-S",
        quantity: 2,
        price: 12.5,
      },
    ],
    ...overrides,
  };
}

describe("stores", () => {
  it("refuses a store for an unknown audience and a move to another audience", async () => {
    const unknownList = await api.post("/ecommerce/stores", {
      id: "s-2",
      list_id: "0000000000",
      name: "Nowhere",
      currency_code: "USD",
    });
    const other = sandbox.createList(accountId, { name: "Other" });
    const moved = await api.patch(store, { list_id: other.id });

    expect(unknownList.status).toBe(400);
    expect(moved.status).toBe(400);
    expect((await api.get(store)).data).toMatchObject({ list_id: listId });
  });
});

describe("bounded records", () => {
  it("refuses a record larger than the bound and drops properties the spec does not name", async () => {
    const huge = await api.put(`${store}/products/PART-BIG`, {
      id: "PART-BIG",
      title: "Catalog dump",
      description: "x".repeat(70_000),
      variants: [{ id: "PART-BIG", title: "Only" }],
    });
    await api.patch(store, { invented_field: "y".repeat(1_000), timezone: "America/Detroit" });
    const dump = sandbox.account(accountId).stores.get(sandbox.defaults?.storeId ?? "");

    expect(huge.status).toBe(400);
    expect((await api.get(`${store}/products/PART-BIG`)).status).toBe(404);
    expect(dump).toMatchObject({ timezone: "America/Detroit" });
    expect(dump).not.toHaveProperty("invented_field");
  });
});

describe("customers", () => {
  it("upserts with PUT and adds a new address to the audience by opt_in_status", async () => {
    const first = await api.put(`${store}/customers/CUST-1`, {
      id: "CUST-1",
      email_address: "buyer@great-lakes-fab.com",
      opt_in_status: true,
      company: "Great Lakes Fab",
    });
    const second = await api.put(`${store}/customers/CUST-2`, {
      id: "CUST-2",
      email_address: "ap@great-lakes-fab.com",
      opt_in_status: false,
    });
    const updated = await api.put(`${store}/customers/CUST-1`, {
      id: "CUST-1",
      email_address: "buyer@great-lakes-fab.com",
      opt_in_status: true,
      company: "Great Lakes Fabrication",
    });

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(updated.data).toMatchObject({ company: "Great Lakes Fabrication", orders_count: 0 });
    expect(sandbox.member(accountId, listId, "buyer@great-lakes-fab.com")?.status).toBe(
      "subscribed",
    );
    expect(sandbox.member(accountId, listId, "ap@great-lakes-fab.com")?.status).toBe(
      "transactional",
    );
  });

  it("keeps an existing contact's status, except that opting in later subscribes", async () => {
    const email = "owner@great-lakes-fab.com";
    await api.put(`/lists/${listId}/members/${email}`, {
      email_address: email,
      status_if_new: "unsubscribed",
    });
    await api.put(`${store}/customers/CUST-3`, {
      id: "CUST-3",
      email_address: email,
      opt_in_status: true,
    });
    expect(sandbox.member(accountId, listId, email)?.status).toBe("unsubscribed");

    await api.put(`${store}/customers/CUST-2`, {
      id: "CUST-2",
      email_address: "ap@great-lakes-fab.com",
      opt_in_status: true,
    });
    expect(sandbox.member(accountId, listId, "ap@great-lakes-fab.com")?.status).toBe("subscribed");
  });

  it("refuses POST of a customer id that exists", async () => {
    const response = await api.post(`${store}/customers`, {
      id: "CUST-1",
      email_address: "buyer@great-lakes-fab.com",
      opt_in_status: true,
    });

    expect(response.status).toBe(400);
  });
});

describe("orders", () => {
  it("creates an order with POST and refuses a second POST of the same id", async () => {
    const created = await api.post(`${store}/orders`, order("SO-1001"));
    const again = await api.post(`${store}/orders`, order("SO-1001"));

    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({
      id: "SO-1001",
      customer: { id: "CUST-1", orders_count: 1, total_spent: 25 },
    });
    expect(again.status).toBe(400);
    expect(again.data).toMatchObject({ title: "Invalid Resource" });
  });

  it("has no order upsert: PUT is Method Not Allowed, PATCH updates", async () => {
    const put = await api.put(`${store}/orders/SO-1001`, order("SO-1001"));
    const patched = await api.patch(`${store}/orders/SO-1001`, {
      fulfillment_status: "shipped",
      financial_status: "paid",
      order_total: 30,
    });

    expect(put.status).toBe(405);
    expect(patched.data).toMatchObject({
      fulfillment_status: "shipped",
      financial_status: "paid",
      order_total: 30,
    });
    expect((await api.get(`${store}/customers/CUST-1`)).data).toMatchObject({
      orders_count: 1,
      total_spent: 30,
    });
  });

  it("refuses lines naming a product or variant the store does not have", async () => {
    const noProduct = await api.post(
      `${store}/orders`,
      order("SO-1002", {
        lines: [
          {
            id: "l1",
            product_id: "PART-999",
            product_variant_id: "PART-999",
            quantity: 1,
            price: 1,
          },
        ],
      }),
    );
    const noVariant = await api.post(
      `${store}/orders`,
      order("SO-1003", {
        lines: [
          {
            id: "l1",
            product_id: "PART-100",
            product_variant_id: "PART-100-X",
            quantity: 1,
            price: 1,
          },
        ],
      }),
    );
    const patchBad = await api.patch(`${store}/orders/SO-1001`, {
      lines: [{ product_id: "PART-404", product_variant_id: "x", quantity: 1, price: 1 }],
    });

    expect(noProduct.status).toBe(400);
    expect((noProduct.data as { errors: { field: string }[] }).errors[0]?.field).toBe(
      "lines.0.product_id",
    );
    expect(noVariant.status).toBe(400);
    expect((noVariant.data as { errors: { field: string }[] }).errors[0]?.field).toBe(
      "lines.0.product_variant_id",
    );
    expect(patchBad.status).toBe(400);
    expect((await api.get(`${store}/orders/SO-1002`)).status).toBe(404);
  });

  it("needs email_address and opt_in_status for a customer the store does not know", async () => {
    const unknown = await api.post(
      `${store}/orders`,
      order("SO-1004", { customer: { id: "CUST-NEW" } }),
    );
    const known = await api.post(
      `${store}/orders`,
      order("SO-1005", {
        customer: {
          id: "CUST-NEW",
          email_address: "new.buyer@great-lakes-fab.com",
          opt_in_status: false,
        },
      }),
    );

    expect(unknown.status).toBe(400);
    expect(known.status).toBe(200);
    expect((await api.get(`${store}/customers/CUST-NEW`)).data).toMatchObject({ orders_count: 1 });
  });

  it("takes the order off the customer's totals when it is deleted", async () => {
    expect((await api.delete(`${store}/orders/SO-1005`)).status).toBe(204);
    expect((await api.get(`${store}/customers/CUST-NEW`)).data).toMatchObject({
      orders_count: 0,
      total_spent: 0,
    });
  });
});
