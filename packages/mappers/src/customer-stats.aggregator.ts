/**
 * The order history of one customer (issue #6, "segmentation data flows back into members"),
 * computed from its mapped Mailchimp orders, the products those orders reference and its Plex
 * customer shippers. Cancelled orders do not count; refunded orders count as orders but add no
 * revenue. Revenue is summed in one currency — the one most of the customer's orders use — so
 * dollars and euros are never added up; orders in other currencies still count as orders.
 */
import type { TOrder, TProduct } from "@ml-connector/mailchimp-client";
import type { TPlexShipper } from "@ml-connector/plex-client";

import type { TCustomerOrderStats } from "./mapping.types.js";
import { recordList } from "./plex-input.guards.js";
import { cleanText, finiteNumber, parsePlexDate, roundMoney } from "./text.normalizer.js";

export type TCustomerOrderHistory = {
  orders: readonly TOrder[];
  products: readonly TProduct[];
  shippers?: readonly TPlexShipper[];
};

function isCancelled(order: TOrder): boolean {
  return (
    order.financial_status === "cancelled" ||
    order.fulfillment_status === "cancelled" ||
    order.cancelled_at_foreign !== undefined
  );
}

export function computeCustomerOrderStats(history: TCustomerOrderHistory): TCustomerOrderStats {
  const byId = new Map<string, TOrder>();
  for (const order of recordList(history?.orders)) {
    if (typeof order.id === "string" && !isCancelled(order)) byId.set(order.id, order);
  }
  const orders = [...byId.values()];

  const dates = orders
    .map((order) => parsePlexDate(order.processed_at_foreign))
    .filter((ms): ms is number => ms !== undefined);
  const currency = dominantCurrency(orders);
  const revenue = orders
    .filter((order) => order.currency_code === currency && order.financial_status !== "refunded")
    .reduce((sum, order) => sum + (finiteNumber(order.order_total) ?? 0), 0);

  const stats: TCustomerOrderStats = {
    orderCount: orders.length,
    lifetimeRevenue: Number.isFinite(revenue) ? roundMoney(revenue) : 0,
    productCategories: productCategories(orders, recordList(history?.products)),
  };
  if (dates.length > 0) {
    stats.firstOrderDate = new Date(dates.reduce((a, b) => Math.min(a, b))).toISOString();
    stats.lastOrderDate = new Date(dates.reduce((a, b) => Math.max(a, b))).toISOString();
  }
  if (currency !== undefined) stats.currencyCode = currency;
  const lastShipment = lastShipmentDate(recordList(history?.shippers));
  if (lastShipment !== undefined) stats.lastShipmentDate = lastShipment;

  return stats;
}

/** The currency most orders use; ties go to the alphabetically first, for determinism. */
function dominantCurrency(orders: readonly TOrder[]): string | undefined {
  const counts = new Map<string, number>();
  for (const order of orders) {
    const code = cleanText(order.currency_code, 10);
    if (code !== undefined) counts.set(code, (counts.get(code) ?? 0) + 1);
  }

  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function productCategories(orders: readonly TOrder[], products: readonly TProduct[]): string[] {
  const typeById = new Map(products.map((product) => [product.id, cleanText(product.type, 80)]));
  const categories = new Set<string>();
  for (const order of orders) {
    for (const line of recordList(order.lines)) {
      const category = typeById.get(line.product_id);
      if (category !== undefined) categories.add(category);
    }
  }

  return [...categories].sort();
}

/** Shipper statuses of a shipment that has not left the dock (or never will). */
const NOT_SHIPPED = /void|cancel|open|pending|schedul|hold/i;

/** The latest ship date of a shipper that left. */
function lastShipmentDate(shippers: readonly TPlexShipper[]): string | undefined {
  const dates = shippers
    .filter((shipper) => !NOT_SHIPPED.test(cleanText(shipper.status, 60) ?? ""))
    .map((shipper) => parsePlexDate(shipper.shipDate))
    .filter((ms): ms is number => ms !== undefined);

  return dates.length === 0
    ? undefined
    : new Date(dates.reduce((a, b) => Math.max(a, b))).toISOString();
}
