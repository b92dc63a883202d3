/**
 * Test support: fast-check generators of messy Plex input — nulls where text belongs, Unicode in
 * every script, lone surrogates and control characters, megabyte-long strings, impossible dates,
 * NaN and Infinity, duplicated and dangling links — shaped like the plex-client records so that
 * the mappers' property tests reach their real code paths, not just the first guard.
 */
import fc from "fast-check";

import type {
  TPlexAddress,
  TPlexArInvoice,
  TPlexContact,
  TPlexCustomer,
  TPlexLinePrice,
  TPlexOrderLine,
  TPlexPart,
  TPlexRelease,
  TPlexSalesOrder,
  TPlexShipper,
  TPlexShipperLine,
} from "@ml-connector/plex-client";

import type { TCustomerOrderStats, TCustomerSource } from "../mapping.types.js";
import type { TSalesOrderSource } from "../sales-order.mapper.js";

const HUGE = "Ω".repeat(200_000);

const oddText = fc.constantFrom(
  "",
  "   ",
  "null",
  "undefined",
  "n/a",
  "Müller Präzisionsteile GmbH",
  "Société Générale d'Usinage",
  "上海精密零件有限公司",
  "Ｍｅｄｉｃａｌ Ｄｅｖｉｃｅｓ",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀👩‍🔧",
  "a\u0000b\u001fc\u007f",
  "line one\nline two\r\nline three",
  "\ud800 lone surrogate",
  "x".repeat(300),
  HUGE,
);

/** Any text a Plex column may hold, or null/undefined. */
export const messyText: fc.Arbitrary<string | null | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 2, arbitrary: fc.constantFrom(null, undefined) },
);

/** Text without "@", for values that appear in reasons next to masked e-mails. */
const labelText = messyText.filter((value) => typeof value !== "string" || !value.includes("@"));

const placeholderEmails = fc.constantFrom(
  "none@none",
  "test@test.com",
  "noemail@firm.com",
  "fooboo@example.com",
  "buyer@acme.test",
  "someone@yopmail.com",
  "n/a",
  "purchasing@@acme.com",
  "orders acme.com",
  "accounts.payable@acme.com.",
  "jürgen@acme.de",
);

/** A small pool makes duplicates within and across customers likely. */
const pooledEmails = fc.constantFrom(
  "purchasing@acme-stamping.com",
  " Purchasing@ACME-Stamping.com ",
  "orders@distributor.com",
  "ap@midwest-castings.com",
  "jane.doe@gmail.com",
);

export const messyEmail: fc.Arbitrary<string | null | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.emailAddress() },
  { weight: 2, arbitrary: pooledEmails },
  { weight: 2, arbitrary: placeholderEmails },
  { weight: 2, arbitrary: messyText },
);

const isoDates = fc
  .date({
    min: new Date("1800-01-01T00:00:00Z"),
    max: new Date("2300-01-01T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());

export const messyDate: fc.Arbitrary<string | null | undefined> = fc.oneof(
  { weight: 3, arbitrary: isoDates },
  { weight: 1, arbitrary: isoDates.map((iso) => iso.slice(0, 10)) },
  { weight: 1, arbitrary: isoDates.map((iso) => iso.slice(0, 19)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "9999-12-31T00:00:00Z",
      "0000-00-00",
      "2025-02-30",
      "2025-03-10T25:61:00Z",
      "yesterday",
      "2025-03-10T08:30:00.1234567Z",
      "2025-03-10T08:30:00+14:00",
    ),
  },
  { weight: 1, arbitrary: messyText },
);

export const messyNumber: fc.Arbitrary<number | null | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -10, max: 500 }) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 0.5, 1e308, -1, Number.NaN, Infinity) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);

const messyFlag = fc.constantFrom(true, false, null, undefined);

/** Ids: mostly UUIDs, sometimes blank, padded or far too long. Never contain "@". */
export const messyId: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom("", "  ", " padded-id ", "x".repeat(300), "id\u0000x") },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).filter((value) => !value.includes("@")) },
);

const messyPhone = fc.oneof(
  messyText,
  fc.constantFrom("(313) 555-0142", "+49 89 1234567", "0049 89 1234567", "555-0142 x12", "+1"),
);

export const plexCustomerArb = fc.record({
  id: messyId,
  code: labelText,
  name: messyText,
  status: fc.oneof(messyText, fc.constantFrom("Active", "Inactive", "Deleted")),
  type: messyText,
  industries: fc.oneof(fc.constant(null), fc.array(messyText, { maxLength: 4 })),
  region: messyText,
  category: messyText,
  phone: messyPhone,
  email: messyEmail,
}) as unknown as fc.Arbitrary<TPlexCustomer>;

export const plexAddressArb = fc.record({
  id: messyId,
  address: messyText,
  city: messyText,
  state: fc.oneof(messyText, fc.constantFrom("MI", "ON", "NL", "Bayern")),
  zip: messyText,
  country: fc.oneof(messyText, fc.constantFrom("USA", "Canada", "México", "DE", "Atlantis")),
  region: messyText,
  email: messyEmail,
  phone: messyPhone,
  billTo: messyFlag,
  soldTo: messyFlag,
  active: messyFlag,
}) as unknown as fc.Arbitrary<TPlexAddress>;

export const plexContactArb = fc.record({
  id: messyId,
  firstName: messyText,
  lastName: messyText,
  title: messyText,
  email: messyEmail,
  phone: messyPhone,
  mobilePhone: messyPhone,
  companyName: messyText,
  type: messyText,
  sortOrder: fc.oneof(fc.integer(), fc.constant(null)),
}) as unknown as fc.Arbitrary<TPlexContact>;

export const statsArb: fc.Arbitrary<TCustomerOrderStats> = fc.record({
  orderCount: messyNumber,
  firstOrderDate: messyDate,
  lastOrderDate: messyDate,
  lifetimeRevenue: messyNumber,
  currencyCode: messyText,
  productCategories: fc.oneof(fc.constant(null), fc.array(messyText, { maxLength: 5 })),
  lastShipmentDate: messyDate,
}) as unknown as fc.Arbitrary<TCustomerOrderStats>;

export const customerSourceArb: fc.Arbitrary<TCustomerSource> = fc.record(
  {
    customer: plexCustomerArb,
    addresses: fc.array(plexAddressArb, { maxLength: 4 }),
    contacts: fc.array(plexContactArb, { maxLength: 5 }),
    stats: statsArb,
  },
  { requiredKeys: ["customer", "addresses", "contacts"] },
);

/** Sources that are not even the right shape. */
export const brokenSourceArb = fc.oneof(
  fc.constant(null),
  fc.constant({}),
  fc.record({ customer: fc.anything(), addresses: fc.anything(), contacts: fc.anything() }),
) as unknown as fc.Arbitrary<TCustomerSource>;

export const mappingOptionsArb = fc.record(
  {
    now: fc.date(),
    statusIfNew: fc.constantFrom("subscribed", "transactional"),
    tagPrefix: fc.oneof(fc.constant("plex:"), fc.string({ maxLength: 12 })),
    includeContacts: fc.boolean(),
    includeInactive: fc.boolean(),
    activeBuyerDays: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.constant(Number.NaN)),
  },
  { requiredKeys: ["now"] },
);

const statusText = fc.oneof(
  fc.constantFrom(
    "Open",
    "Closed",
    "Canceled",
    "Cancelled",
    "Shipped",
    "Scheduled",
    "Paid",
    "Void",
  ),
  messyText,
);

const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: bad });

const releaseFactsArb = fc.record({
  quantity: mostly(
    fc.oneof(fc.integer({ min: 1, max: 500 }), fc.constantFrom(2.5, 0.125)),
    messyNumber,
  ),
  quantityShipped: mostly(fc.integer({ min: 0, max: 500 }), messyNumber),
  status: mostly(fc.constantFrom("Open", "Scheduled", "Shipped"), statusText),
});

const priceFactsArb = fc.record({
  price: mostly(fc.double({ min: 0, max: 1000, noNaN: true }), messyNumber),
  currencyCode: mostly(
    fc.constant("USD"),
    fc.oneof(fc.constantFrom("usd", "EUR", "CAD"), messyText),
  ),
  active: mostly(fc.constant(true), messyFlag),
  primaryPrice: messyFlag,
  effectiveDate: messyDate,
});

const lineFactsArb = fc.record({
  partKnown: mostly(fc.constant(true), fc.constant(false)),
  partId: fc.constantFrom("part-1", "part-2", "part-3"),
  active: mostly(fc.constant(true), messyFlag),
  releases: mostly(
    fc.array(releaseFactsArb, { minLength: 1, maxLength: 3 }),
    fc.array(releaseFactsArb, { maxLength: 0 }),
  ),
  prices: mostly(
    fc.array(priceFactsArb, { minLength: 1, maxLength: 2 }),
    fc.array(priceFactsArb, { maxLength: 0 }),
  ),
});

/**
 * One sales order with lines, prices, releases, shippers, shipper lines and invoices that mostly
 * link up, so that most orders map and every status rule is reached; some values are messy and
 * some records dangle (they name a line of another order).
 */
export const salesOrderSourceArb: fc.Arbitrary<TSalesOrderSource> = fc
  .record({
    orderId: mostly(fc.constant("order-1"), messyId),
    lines: mostly(
      fc.array(lineFactsArb, { minLength: 1, maxLength: 4 }),
      fc.array(lineFactsArb, { maxLength: 0 }),
    ),
    orderStatus: mostly(fc.constantFrom("Open", "Closed"), statusText),
    orderNumber: mostly(fc.constant("SO-1"), labelText),
    orderDate: messyDate,
    modifiedDate: messyDate,
    customerId: mostly(fc.constant("customer-1"), messyId),
    customerMemberEmail: mostly(fc.constant("buyer@acme.com"), messyEmail),
    shippers: fc.array(
      fc.record({
        shipDate: messyDate,
        status: statusText,
        trackingNumber: messyText,
        carrierId: fc.oneof(fc.constantFrom("carrier-ups", "carrier-fedex"), messyText),
      }),
      { maxLength: 3 },
    ),
    invoices: fc.array(
      fc.record({
        customerOrderNos: fc.oneof(labelText, fc.constant("SO-1")),
        shipperNo: fc.oneof(messyText, fc.constant("SH-0")),
        currencyCode: messyText,
        amount: mostly(fc.double({ min: 0, max: 100_000, noNaN: true }), messyNumber),
        balance: mostly(fc.constant(0), messyNumber),
        paid: messyFlag,
        status: statusText,
        void: messyFlag,
        creditMemo: mostly(fc.constant(0), messyNumber),
      }),
      { maxLength: 4 },
    ),
    danglingRelease: fc.option(releaseFactsArb),
    part: fc.record({
      name: messyText,
      number: messyText,
      productType: messyText,
      description: messyText,
    }),
  })
  .map((facts) => {
    const lines: TPlexOrderLine[] = [];
    const prices: TPlexLinePrice[] = [];
    const releases: TPlexRelease[] = [];
    const parts = new Map<string, TPlexPart>();
    facts.lines.forEach((line, index) => {
      const id = `line-${index}`;
      lines.push({
        id,
        orderId: facts.orderId,
        partId: line.partId,
        lineNumber: String(index + 1),
        active: line.active,
      });
      if (line.partKnown) parts.set(line.partId, { id: line.partId, ...facts.part });
      line.releases.forEach((release, r) =>
        releases.push({ id: `${id}-release-${r}`, orderLineId: id, ...release }),
      );
      line.prices.forEach((price, p) =>
        prices.push({ id: `${id}-price-${p}`, orderLineId: id, ...price }),
      );
    });
    if (facts.danglingRelease !== null) {
      releases.push({
        id: "dangling",
        orderLineId: "line-of-another-order",
        ...facts.danglingRelease,
      });
    }

    const shippers = facts.shippers.map((shipper, index): TPlexShipper => ({
      id: `shipper-${index}`,
      shipperNumber: `SH-${index}`,
      customerId: facts.customerId,
      ...shipper,
    }));
    const shipperLines = releases
      .slice(0, shippers.length)
      .map((release, index): TPlexShipperLine => ({
        id: `shipper-line-${index}`,
        shipperId: `shipper-${index}`,
        releaseId: release.id,
        quantity: release.quantityShipped,
      }));
    const invoices = facts.invoices.map((invoice, index): TPlexArInvoice => ({
      id: `invoice-${index}`,
      ...invoice,
    }));
    const order: TPlexSalesOrder = {
      id: facts.orderId,
      customerId: facts.customerId,
      orderNumber: facts.orderNumber,
      status: facts.orderStatus,
      orderDate: facts.orderDate,
      modifiedDate: facts.modifiedDate,
    };

    return {
      order,
      lines,
      prices,
      releases,
      shippers,
      shipperLines,
      invoices,
      partsById: parts,
      customerMemberEmail: facts.customerMemberEmail ?? undefined,
      carrierNames: { "carrier-ups": "UPS" },
    };
  });

/** A customer's shippers, with statuses and dates of every kind. */
export const plexShipperListArb: fc.Arbitrary<TPlexShipper[]> = fc.array(
  fc.record({
    id: messyId,
    shipDate: messyDate,
    status: statusText,
    trackingNumber: messyText,
  }),
  { maxLength: 4 },
);
