import type { TOrder, TProduct } from "@ml-connector/mailchimp-client";
import { describe, expect, it } from "vitest";

import { computeCustomerOrderStats } from "./customer-stats.aggregator.js";
import { mapCustomer } from "./customer.mapper.js";
import { mapSalesOrder } from "./sales-order.mapper.js";
import {
  NOW,
  orderSource,
  plexCustomer,
  plexLine,
  plexOrder,
  plexShipper,
} from "./testing/plex.fixtures.js";

function order(id: string, overrides: Partial<TOrder> = {}): TOrder {
  return {
    id,
    customer: { id: "c-1" },
    currency_code: "USD",
    order_total: 100,
    lines: [
      { id: `${id}-1`, product_id: "p-1", product_variant_id: "p-1", quantity: 1, price: 100 },
    ],
    financial_status: "paid",
    fulfillment_status: "shipped",
    processed_at_foreign: "2024-05-01T00:00:00.000Z",
    ...overrides,
  };
}

const products: TProduct[] = [
  { id: "p-1", title: "Bracket", type: "Brackets", variants: [{ id: "p-1", title: "Bracket" }] },
  { id: "p-2", title: "Bolt", type: "Fasteners", variants: [{ id: "p-2", title: "Bolt" }] },
  { id: "p-3", title: "Untyped", variants: [{ id: "p-3", title: "Untyped" }] },
];

describe("computeCustomerOrderStats", () => {
  it("counts orders, dates, revenue, categories and the last shipment", () => {
    const stats = computeCustomerOrderStats({
      orders: [
        order("o1", { processed_at_foreign: "2023-02-01T09:00:00.000Z", order_total: 250.1 }),
        order("o2", {
          processed_at_foreign: "2025-01-15T09:00:00.000Z",
          order_total: 99.95,
          lines: [
            { id: "l1", product_id: "p-2", product_variant_id: "p-2", quantity: 5, price: 19.99 },
            { id: "l2", product_id: "p-3", product_variant_id: "p-3", quantity: 1, price: 0 },
          ],
        }),
      ],
      products,
      shippers: [
        plexShipper({ shipDate: "2025-01-20T10:00:00Z" }),
        plexShipper({ id: "s2", shipDate: "2025-02-01T10:00:00Z", status: "Open" }),
        plexShipper({ id: "s3", shipDate: "2024-12-01T10:00:00Z" }),
      ],
    });

    expect(stats).toEqual({
      orderCount: 2,
      firstOrderDate: "2023-02-01T09:00:00.000Z",
      lastOrderDate: "2025-01-15T09:00:00.000Z",
      lifetimeRevenue: 350.05,
      currencyCode: "USD",
      productCategories: ["Brackets", "Fasteners"],
      lastShipmentDate: "2025-01-20T10:00:00.000Z",
    });
  });

  it("leaves cancelled orders out and adds no revenue for refunded ones", () => {
    const stats = computeCustomerOrderStats({
      orders: [
        order("o1"),
        order("o2", { financial_status: "cancelled", fulfillment_status: "cancelled" }),
        order("o3", { financial_status: "refunded", order_total: 500 }),
      ],
      products,
    });

    expect(stats.orderCount).toBe(2);
    expect(stats.lifetimeRevenue).toBe(100);
  });

  it("sums revenue only in the currency most orders use", () => {
    const stats = computeCustomerOrderStats({
      orders: [order("o1"), order("o2"), order("o3", { currency_code: "EUR", order_total: 900 })],
      products,
    });

    expect(stats).toMatchObject({ orderCount: 3, currencyCode: "USD", lifetimeRevenue: 200 });
  });

  it("counts an order once even if it appears twice", () => {
    expect(
      computeCustomerOrderStats({ orders: [order("o1"), order("o1")], products }).orderCount,
    ).toBe(1);
  });

  it("gives an empty history for a customer without orders", () => {
    expect(computeCustomerOrderStats({ orders: [], products: [] })).toEqual({
      orderCount: 0,
      lifetimeRevenue: 0,
      productCategories: [],
    });
  });

  it("feeds mapped orders back into the member's merge fields and tags", () => {
    const first = mapSalesOrder(orderSource());
    const second = mapSalesOrder(
      orderSource({
        order: plexOrder({ id: "o-2", orderDate: "2025-05-02T08:00:00Z" }),
        lines: [plexLine({ orderId: "o-2" })],
      }),
    );
    expect(second.rejection).toBeUndefined();
    const stats = computeCustomerOrderStats({
      orders: [first.order!, second.order!],
      products: [...first.products, ...second.products],
      shippers: [plexShipper()],
    });
    const [member] = mapCustomer(
      { customer: plexCustomer(), addresses: [], contacts: [], stats },
      { now: NOW },
    ).members;

    expect(member!.mergeFields).toMatchObject({
      ORDERCOUNT: 2,
      FIRSTORDER: "2025-03-10",
      LASTORDER: "2025-05-02",
      REVENUE: 2500,
      CATEGORIES: "Brackets",
      LASTSHIP: "2025-03-20",
    });
    expect(member!.tags).toEqual(
      expect.arrayContaining(["plex:category:brackets", "plex:active-buyer"]),
    );
  });
});
