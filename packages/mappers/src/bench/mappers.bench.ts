/**
 * Throughput of the pure mappers on one core, so the poller/writer benchmarks can tell mapping
 * cost apart from I/O. Prints figures; asserts nothing. Sizes: BENCH_CUSTOMERS (default 20 000)
 * and BENCH_ORDERS (default 20 000); a warm-up pass runs first. Run with
 * `pnpm --filter @ml-connector/mappers bench`.
 */
import { performance } from "node:perf_hooks";

import type { TOrder, TProduct } from "@ml-connector/mailchimp-client";

import { contentHash } from "../content-hash.js";
import { computeCustomerOrderStats } from "../customer-stats.aggregator.js";
import { mapCustomer } from "../customer.mapper.js";
import { detectDuplicateEmails } from "../duplicate-email.detector.js";
import type { TCustomerMapping, TCustomerSource } from "../mapping.types.js";
import { mapSalesOrder } from "../sales-order.mapper.js";
import {
  NOW,
  orderSource,
  plexAddress,
  plexContact,
  plexCustomer,
  plexInvoice,
  plexLine,
  plexOrder,
  plexPrice,
  plexRelease,
  plexShipper,
  plexShipperLine,
} from "../testing/plex.fixtures.js";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 20_000);
const CITIES = ["Detroit", "Grand Rapids", "Windsor", "Monterrey", "München", "Querétaro"];
const INDUSTRIES = ["Automotive", "Aerospace & Defense", "Medical Devices", "Electronics"];

/** A plant-like customer: a few contacts, one or two addresses, messy e-mails now and then. */
function customerSource(i: number): TCustomerSource {
  const id = `c-${i}`;
  const email = i % 10 === 0 ? null : i % 17 === 0 ? "n/a" : `purchasing${i % 5000}@firm${i}.com`;
  const contacts = Array.from({ length: i % 4 }, (_, c) =>
    plexContact({
      id: `${id}-k${c}`,
      customerId: id,
      firstName: c === 0 ? "José" : "Anna",
      lastName: `Müller-${c}`,
      email: c === 2 ? null : `contact${c}.${i}@firm${i}.com`,
    }),
  );

  return {
    customer: plexCustomer({
      id,
      code: `C${String(i).padStart(6, "0")}`,
      email,
      industries: [INDUSTRIES[i % INDUSTRIES.length]!],
    }),
    addresses: [
      plexAddress({ id: `${id}-a0`, city: CITIES[i % CITIES.length] }),
      ...(i % 3 === 0
        ? [plexAddress({ id: `${id}-a1`, billTo: false, email: `recv@firm${i}.com` })]
        : []),
    ],
    contacts,
    stats: {
      orderCount: i % 12,
      firstOrderDate: "2022-01-10T00:00:00Z",
      lastOrderDate: i % 2 === 0 ? "2025-04-01T00:00:00Z" : "2023-04-01T00:00:00Z",
      lifetimeRevenue: i * 13.37,
      productCategories: ["Brackets", "Fasteners"].slice(0, 1 + (i % 2)),
      lastShipmentDate: "2025-04-10T00:00:00Z",
    },
  };
}

/** A two-line order with two releases per line, a shipper and an invoice. */
function salesOrderSource(i: number) {
  const orderId = `o-${i}`;
  const lines = [0, 1].map((l) =>
    plexLine({ id: `${orderId}-l${l}`, orderId, lineNumber: `${l + 1}` }),
  );
  const releases = lines.flatMap((line, l) =>
    [0, 1].map((w) =>
      plexRelease({
        id: `${line.id}-r${w}`,
        orderLineId: line.id,
        quantity: 25 * (l + 1),
        quantityShipped: w === 0 || i % 2 === 0 ? 25 * (l + 1) : 0,
        status: w === 0 || i % 2 === 0 ? "Shipped" : "Open",
      }),
    ),
  );

  return orderSource({
    order: plexOrder({ id: orderId, orderNumber: `SO-${i}` }),
    lines,
    prices: lines.map((line, l) =>
      plexPrice({ id: `${line.id}-p`, orderLineId: line.id, price: 4.25 + l }),
    ),
    releases,
    shippers: [plexShipper({ id: `${orderId}-s`, shipperNumber: `SH-${i}` })],
    shipperLines: [plexShipperLine({ shipperId: `${orderId}-s`, releaseId: releases[0]!.id })],
    invoices: [
      plexInvoice({ customerOrderNos: `SO-${i}`, shipperNo: `SH-${i}`, paid: i % 3 === 0 }),
    ],
  });
}

function measure<T>(label: string, count: number, unit: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const ms = performance.now() - started;
  const perSecond = Math.round((count / ms) * 1000);
  const micros = ((ms * 1000) / count).toFixed(1);
  console.log(
    `${label.padEnd(34)} ${String(count).padStart(8)} ${unit.padEnd(10)} ` +
      `${ms.toFixed(0).padStart(7)} ms ${String(perSecond).padStart(9)} /s ${micros.padStart(8)} µs each`,
  );

  return result;
}

const customerSources = Array.from({ length: CUSTOMERS }, (_, i) => customerSource(i));
const orderSources = Array.from({ length: ORDERS }, (_, i) => salesOrderSource(i));

console.log(`mappers bench: ${CUSTOMERS} customers, ${ORDERS} orders, node ${process.version}`);

// Warm-up, so the figures are steady-state throughput rather than JIT compilation time.
for (const source of customerSources.slice(0, 2000)) contentHash(mapCustomer(source, { now: NOW }));
for (const source of orderSources.slice(0, 2000)) mapSalesOrder(source);

const mappings: TCustomerMapping[] = measure("mapCustomer", CUSTOMERS, "customers", () =>
  customerSources.map((source) => mapCustomer(source, { now: NOW })),
);
const members = mappings.reduce((sum, mapping) => sum + mapping.members.length, 0);
const rejections = mappings.reduce((sum, mapping) => sum + mapping.rejections.length, 0);
console.log(`  → ${members} members, ${rejections} rejections`);

measure("detectDuplicateEmails (500/batch)", CUSTOMERS, "customers", () => {
  for (let start = 0; start < mappings.length; start += 500) {
    detectDuplicateEmails(mappings.slice(start, start + 500));
  }
});
measure("contentHash (customer mapping)", CUSTOMERS, "mappings", () => mappings.map(contentHash));

const orderResults = measure("mapSalesOrder", ORDERS, "orders", () =>
  orderSources.map((source) => mapSalesOrder(source)),
);
const orders: TOrder[] = orderResults.flatMap((result) =>
  result.order === undefined ? [] : [result.order],
);
const products: TProduct[] = [
  ...new Map(orderResults.flatMap((result) => result.products).map((p) => [p.id, p])).values(),
];
console.log(`  → ${orders.length} orders mapped, ${ORDERS - orders.length} rejected`);

measure("computeCustomerOrderStats (10/cust)", orders.length, "orders", () => {
  for (let start = 0; start < orders.length; start += 10) {
    computeCustomerOrderStats({ orders: orders.slice(start, start + 10), products });
  }
});
