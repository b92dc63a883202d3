import { describe, expect, it } from "vitest";

import { mapSalesOrder } from "./sales-order.mapper.js";
import {
  orderSource,
  plexInvoice,
  plexLine,
  plexOrder,
  plexPart,
  plexPrice,
  plexRelease,
  plexShipper,
  plexShipperLine,
} from "./testing/plex.fixtures.js";

const LINE_2 = "l0000000-0000-4000-8000-000000000002";
const PART_2 = "p0000000-0000-4000-8000-000000000002";

/** Two lines: 100 × 12.50 (two release waves of 50) and 40 × 3.25. Total 1380. */
function twoLineSource() {
  const part1 = plexPart();
  const part2 = plexPart({
    id: PART_2,
    number: "FA-10002",
    name: "Hex bolt M8",
    productType: "Fasteners",
  });

  return orderSource({
    lines: [plexLine({ id: LINE_2, partId: PART_2, lineNumber: "2" }), plexLine()],
    prices: [plexPrice(), plexPrice({ id: "r2", orderLineId: LINE_2, price: 3.25 })],
    releases: [
      plexRelease({ id: "e1", quantity: 50 }),
      plexRelease({ id: "e2", quantity: 50, releaseNumber: "SO0000001-01-1-2" }),
      plexRelease({ id: "e3", orderLineId: LINE_2, quantity: 40 }),
    ],
    partsById: new Map([
      [part1.id, part1],
      [part2.id, part2],
    ]),
  });
}

describe("mapSalesOrder: order body", () => {
  it("maps an open order with its lines, total, currency, dates and customer", () => {
    const { order, products, rejection } = mapSalesOrder(orderSource());

    expect(rejection).toBeUndefined();
    expect(order).toEqual({
      id: "o0000000-0000-4000-8000-000000000001",
      customer: { id: "c0000000-0000-4000-8000-000000000001" },
      currency_code: "USD",
      order_total: 1250,
      lines: [
        {
          id: "l0000000-0000-4000-8000-000000000001",
          product_id: "p0000000-0000-4000-8000-000000000001",
          product_variant_id: "p0000000-0000-4000-8000-000000000001",
          quantity: 100,
          price: 12.5,
        },
      ],
      financial_status: "pending",
      fulfillment_status: "pending",
      processed_at_foreign: "2025-03-10T08:30:00.000Z",
      updated_at_foreign: "2025-03-12T10:00:00.000Z",
    });
    expect(products).toEqual([
      {
        id: "p0000000-0000-4000-8000-000000000001",
        title: "Mounting bracket, steel",
        type: "Brackets",
        description: "Brackets – steel, customer-specific finish",
        variants: [
          {
            id: "p0000000-0000-4000-8000-000000000001",
            title: "Mounting bracket, steel",
            sku: "ST-10001",
          },
        ],
      },
    ]);
  });

  it("sums release quantities per line and totals quantity × price over the lines", () => {
    const { order, products } = mapSalesOrder(twoLineSource());

    expect(order!.lines.map((line) => [line.id, line.quantity, line.price])).toEqual([
      ["l0000000-0000-4000-8000-000000000001", 100, 12.5],
      [LINE_2, 40, 3.25],
    ]);
    expect(order!.order_total).toBe(1380);
    expect(products.map((product) => product.id).sort()).toEqual([
      "p0000000-0000-4000-8000-000000000001",
      PART_2,
    ]);
  });

  it("ignores records that belong to another order", () => {
    const source = orderSource();
    const { order } = mapSalesOrder({
      ...source,
      lines: [...source.lines, plexLine({ id: "other-line", orderId: "other-order" })],
      releases: [
        ...source.releases,
        plexRelease({ id: "x", orderLineId: "other-line", quantity: 9 }),
      ],
    });

    expect(order!.lines).toHaveLength(1);
    expect(order!.order_total).toBe(1250);
  });

  it("sends a fractional quantity as one unit at the extended price", () => {
    const { order } = mapSalesOrder(
      orderSource({
        releases: [plexRelease({ quantity: 2.5 })],
        prices: [plexPrice({ price: 4.1 })],
      }),
    );

    expect(order!.lines[0]).toMatchObject({ quantity: 1, price: 10.25 });
    expect(order!.order_total).toBe(10.25);
  });

  it("accepts parts as a plain object as well as a Map", () => {
    const part = plexPart();
    const { order } = mapSalesOrder(orderSource({ partsById: { [part.id]: part } }));

    expect(order?.lines).toHaveLength(1);
  });
});

describe("mapSalesOrder: prices and currency", () => {
  it("takes the active primary price over other prices", () => {
    const { order } = mapSalesOrder(
      orderSource({
        prices: [
          plexPrice({
            id: "r0",
            price: 9.99,
            primaryPrice: false,
            effectiveDate: "2025-01-01T00:00:00Z",
          }),
          plexPrice({ id: "r1", price: 12.5, primaryPrice: true }),
          plexPrice({ id: "r2", price: 1, primaryPrice: true, active: false }),
        ],
      }),
    );

    expect(order!.lines[0]!.price).toBe(12.5);
  });

  it("falls back to the first active price by effective date when none is primary", () => {
    const { order } = mapSalesOrder(
      orderSource({
        prices: [
          plexPrice({
            id: "r1",
            price: 11.75,
            primaryPrice: false,
            effectiveDate: "2025-02-01T00:00:00Z",
          }),
          plexPrice({
            id: "r2",
            price: 10.5,
            primaryPrice: false,
            effectiveDate: "2025-01-01T00:00:00Z",
          }),
        ],
      }),
    );

    expect(order!.lines[0]!.price).toBe(10.5);
  });

  it("rejects a line without a usable price with PRICE_MISSING", () => {
    const { order, rejection, products } = mapSalesOrder(
      orderSource({ prices: [plexPrice({ active: false }), plexPrice({ id: "r2", price: null })] }),
    );

    expect(order).toBeUndefined();
    expect(products).toEqual([]);
    expect(rejection).toEqual({
      entity: "order",
      externalId: "o0000000-0000-4000-8000-000000000001",
      code: "PRICE_MISSING",
      reason: "order SO0000001-01 line 1 has no active price in Plex",
    });
  });

  it("takes the currency from the prices, else the invoices, else the default option", () => {
    const euro = mapSalesOrder(orderSource({ prices: [plexPrice({ currencyCode: "eur" })] }));
    expect(euro.order!.currency_code).toBe("EUR");

    const fromInvoice = mapSalesOrder(
      orderSource({
        prices: [plexPrice({ currencyCode: null })],
        invoices: [plexInvoice({ currencyCode: "CAD" })],
      }),
    );
    expect(fromInvoice.order!.currency_code).toBe("CAD");

    const fallback = mapSalesOrder(orderSource({ prices: [plexPrice({ currencyCode: null })] }), {
      defaultCurrency: "MXN",
    });
    expect(fallback.order!.currency_code).toBe("MXN");

    const usd = mapSalesOrder(orderSource({ prices: [plexPrice({ currencyCode: "dollars" })] }));
    expect(usd.order!.currency_code).toBe("USD");
  });

  it("rejects lines priced in different currencies", () => {
    const source = twoLineSource();
    source.prices = [
      plexPrice({ currencyCode: "USD" }),
      plexPrice({ id: "r2", orderLineId: LINE_2, currencyCode: "EUR" }),
    ];

    expect(mapSalesOrder(source).rejection).toMatchObject({ code: "CURRENCY_MIXED" });
  });
});

describe("mapSalesOrder: fulfilment status and tracking", () => {
  it("is partially_shipped while some releases have shipped", () => {
    const source = twoLineSource();
    source.releases = source.releases.map((release) =>
      release.id === "e1" ? { ...release, quantityShipped: 50, status: "Shipped" } : release,
    );

    expect(mapSalesOrder(source).order!.fulfillment_status).toBe("partially_shipped");
  });

  it("is shipped once every release shipped its quantity", () => {
    const source = twoLineSource();
    source.releases = source.releases.map((release) => ({
      ...release,
      quantityShipped: release.quantity,
      status: "Shipped",
    }));

    expect(mapSalesOrder(source).order!.fulfillment_status).toBe("shipped");
  });

  it("leaves cancelled releases out of quantities and the fulfilment status", () => {
    const source = twoLineSource();
    source.releases = source.releases.map((release) =>
      release.id === "e2"
        ? { ...release, status: "Canceled" }
        : { ...release, quantityShipped: release.quantity, status: "Shipped" },
    );
    const { order } = mapSalesOrder(source);

    expect(order!.fulfillment_status).toBe("shipped");
    expect(order!.lines[0]!.quantity).toBe(50);
    expect(order!.order_total).toBe(755);
  });

  it("takes tracking from the latest shipper that has a number, with the carrier's name", () => {
    const { order } = mapSalesOrder(
      orderSource({
        releases: [plexRelease({ quantityShipped: 100, status: "Shipped" })],
        shippers: [
          plexShipper({ id: "s1", shipDate: "2025-03-18T10:00:00Z", trackingNumber: "OLD123" }),
          plexShipper({ id: "s2", shipDate: "2025-03-20T10:00:00Z", trackingNumber: "1ZNEW456" }),
          plexShipper({ id: "s3", shipDate: "2025-03-21T10:00:00Z", trackingNumber: null }),
        ],
        shipperLines: [
          plexShipperLine({ id: "sl1", shipperId: "s1" }),
          plexShipperLine({ id: "sl2", shipperId: "s2" }),
          plexShipperLine({ id: "sl3", shipperId: "s3" }),
        ],
        carrierNames: { "carrier-ups": "UPS" },
      }),
    );

    expect(order).toMatchObject({ tracking_number: "1ZNEW456", tracking_carrier: "UPS" });
  });

  it("ignores shippers whose lines ship another order's releases", () => {
    const { order } = mapSalesOrder(
      orderSource({
        shippers: [plexShipper({ id: "s9", trackingNumber: "FOREIGN" })],
        shipperLines: [plexShipperLine({ shipperId: "s9", releaseId: "someone-elses-release" })],
      }),
    );

    expect(order!.tracking_number).toBeUndefined();
  });

  it("names the carrier from the order when the shipper uses the order's carrier", () => {
    const { order } = mapSalesOrder(
      orderSource({
        order: plexOrder({ carrierId: "carrier-ups", carrier: "UPS Ground" }),
        shippers: [plexShipper()],
        shipperLines: [plexShipperLine()],
      }),
    );

    expect(order).toMatchObject({
      tracking_number: "1ZA1B2C30312345678",
      tracking_carrier: "UPS Ground",
    });
  });

  it("sends a tracking number without a carrier when the carrier's name is unknown", () => {
    const { order } = mapSalesOrder(
      orderSource({ shippers: [plexShipper()], shipperLines: [plexShipperLine()] }),
    );

    expect(order!.tracking_number).toBe("1ZA1B2C30312345678");
    expect(order!.tracking_carrier).toBeUndefined();
  });
});

describe("mapSalesOrder: cancelled orders", () => {
  it("is cancelled/cancelled with a cancel time, keeping its (inactive) lines", () => {
    const { order } = mapSalesOrder(
      orderSource({
        order: plexOrder({ status: "Canceled" }),
        lines: [plexLine({ active: false })],
        releases: [plexRelease({ status: "Canceled" })],
      }),
    );

    expect(order).toMatchObject({
      financial_status: "cancelled",
      fulfillment_status: "cancelled",
      cancelled_at_foreign: "2025-03-12T10:00:00.000Z",
      order_total: 1250,
    });
  });

  it("treats an order whose releases are all cancelled as cancelled", () => {
    const { order } = mapSalesOrder(
      orderSource({ releases: [plexRelease({ status: "Canceled" })] }),
    );

    expect(order).toMatchObject({ financial_status: "cancelled", fulfillment_status: "cancelled" });
  });
});

describe("mapSalesOrder: financial status", () => {
  const shipped = { releases: [plexRelease({ quantityShipped: 100, status: "Shipped" })] };

  it("is paid when every invoice of the order is paid, not void, has no balance and covers it", () => {
    const { order } = mapSalesOrder(
      orderSource({
        ...shipped,
        invoices: [
          plexInvoice({ amount: 1000, balance: 0, paid: true, status: "Paid" }),
          plexInvoice({ id: "i2", amount: 250, balance: 0, paid: true, status: "Paid" }),
          plexInvoice({ id: "i3", amount: 999, balance: 999, void: true }),
        ],
      }),
    );

    expect(order!.financial_status).toBe("paid");
  });

  it("is pending while an invoice is open or has a balance", () => {
    const open = mapSalesOrder(orderSource({ ...shipped, invoices: [plexInvoice()] }));
    const balance = mapSalesOrder(
      orderSource({ ...shipped, invoices: [plexInvoice({ paid: true, balance: 10 })] }),
    );

    expect(open.order!.financial_status).toBe("pending");
    expect(balance.order!.financial_status).toBe("pending");
  });

  it("is pending while only part of the order has been invoiced, even if that part is paid", () => {
    const { order } = mapSalesOrder(
      orderSource({ invoices: [plexInvoice({ amount: 625, balance: 0, paid: true })] }),
    );

    expect(order!.financial_status).toBe("pending");
  });

  it("is refunded when credit memos cover the order total", () => {
    const { order } = mapSalesOrder(
      orderSource({
        ...shipped,
        invoices: [
          plexInvoice({ amount: 1250, balance: 0, paid: true }),
          plexInvoice({
            id: "cm1",
            invoiceNumber: "CM1",
            amount: -1250,
            balance: 0,
            creditMemo: 1,
          }),
        ],
      }),
    );

    expect(order!.financial_status).toBe("refunded");
  });

  it("does not count invoices of other orders", () => {
    const { order } = mapSalesOrder(
      orderSource({
        ...shipped,
        invoices: [
          plexInvoice({
            customerOrderNos: "SO9999999-01",
            shipperNo: "SH999",
            paid: true,
            balance: 0,
          }),
        ],
      }),
    );

    expect(order!.financial_status).toBe("pending");
  });
});

describe("mapSalesOrder: rejections", () => {
  it("waits for the customer: CUSTOMER_NOT_SYNCED without a usable member e-mail", () => {
    for (const customerMemberEmail of [undefined, "", "n/a"]) {
      const { order, rejection } = mapSalesOrder(orderSource({ customerMemberEmail }));
      expect(order).toBeUndefined();
      expect(rejection).toMatchObject({ entity: "order", code: "CUSTOMER_NOT_SYNCED" });
    }
  });

  it("maps the order for the customer's history without a member e-mail when asked to", () => {
    const { order, rejection } = mapSalesOrder(orderSource({ customerMemberEmail: undefined }), {
      forStatistics: true,
    });

    expect(rejection).toBeUndefined();
    expect(order!.lines.length).toBeGreaterThan(0);
    expect(order!.order_total).toBeGreaterThan(0);
  });

  it("rejects a line naming an unknown part with PART_UNKNOWN", () => {
    const { rejection } = mapSalesOrder(orderSource({ partsById: new Map() }));

    expect(rejection).toMatchObject({ code: "PART_UNKNOWN" });
    expect(rejection!.reason).toContain("p0000000-0000-4000-8000-000000000001");
  });

  it("rejects an order without lines with NO_LINES", () => {
    expect(mapSalesOrder(orderSource({ lines: [] })).rejection).toMatchObject({ code: "NO_LINES" });
    expect(
      mapSalesOrder(orderSource({ lines: [plexLine({ active: false })] })).rejection,
    ).toMatchObject({ code: "NO_LINES" });
  });

  it("rejects a line without releases with QUANTITY_MISSING", () => {
    expect(mapSalesOrder(orderSource({ releases: [] })).rejection).toMatchObject({
      code: "QUANTITY_MISSING",
    });
  });

  it("rejects an order without an id", () => {
    const source = orderSource({ order: plexOrder({ id: " " }) });

    expect(mapSalesOrder(source).rejection).toMatchObject({ code: "ORDER_ID_MISSING" });
  });
});
