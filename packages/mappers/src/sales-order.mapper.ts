/**
 * A Plex sales order (with its lines, line prices, releases, shippers, shipper lines and AR
 * invoices) → a Mailchimp e-commerce order plus the products its lines reference, which the
 * writer upserts first (lines must name existing products, reference mailchimp-api.md §4).
 * In Plex an order line has no quantity of its own: the quantity is what its releases schedule.
 * The caller passes the records it gathered for this order; records whose link fields point at
 * another order are ignored. Never throws: an order that cannot be sent comes back as one
 * rejection (the first problem found) and no order.
 */
import type { TOrder, TOrderLine, TProduct } from "@ml-connector/mailchimp-client";
import type {
  TPlexArInvoice,
  TPlexLinePrice,
  TPlexOrderLine,
  TPlexPart,
  TPlexRelease,
  TPlexSalesOrder,
  TPlexShipper,
  TPlexShipperLine,
} from "@ml-connector/plex-client";

import { ecommerceCustomerId } from "./ecommerce-customer.mapper.js";
import { checkEmail } from "./email.rules.js";
import type { TRejection, TRejectionCode } from "./mapping.types.js";
import {
  financialStatus,
  fulfillmentStatus,
  isCancelledRelease,
  isCancelledStatus,
  latestTracking,
} from "./order-status.rules.js";
import { selectRecords, type TOrderRecords } from "./order-records.selector.js";
import { plexId } from "./plex-input.guards.js";
import { mapPartToProduct } from "./product.mapper.js";
import {
  cleanText,
  finiteNumber,
  isoDateTime,
  parsePlexDate,
  roundMoney,
} from "./text.normalizer.js";

export type TSalesOrderSource = {
  order: TPlexSalesOrder;
  lines: TPlexOrderLine[];
  prices: TPlexLinePrice[];
  releases: TPlexRelease[];
  shippers: TPlexShipper[];
  shipperLines: TPlexShipperLine[];
  invoices: TPlexArInvoice[];
  partsById: ReadonlyMap<string, TPlexPart> | Readonly<Record<string, TPlexPart>>;
  /** The customer's member e-mail once the customer is synced; without it the order waits. */
  customerMemberEmail?: string;
  /** Carrier names by Plex carrier id; shippers only carry the id. */
  carrierNames?: Readonly<Record<string, string>>;
};

export type TOrderMappingOptions = {
  /** ISO 4217 code used when neither prices nor invoices name a currency. */
  defaultCurrency: string;
};

export type TOrderMapping = { order?: TOrder; products: TProduct[]; rejection?: TRejection };

/** Mailchimp line quantities are integers (spec: `quantity` type integer), at most int32. */
const MAX_QUANTITY = 2_147_483_647;

class OrderRejected extends Error {
  constructor(
    readonly code: TRejectionCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function mapSalesOrder(
  source: TSalesOrderSource,
  options: Partial<TOrderMappingOptions> = {},
): TOrderMapping {
  const orderId = plexId(source?.order?.id);
  if (orderId === undefined) {
    return rejected("", "ORDER_ID_MISSING", "a Plex sales order arrived without a usable id");
  }

  try {
    return mapOrder(orderId, selectRecords(source, orderId), source, options);
  } catch (error) {
    if (error instanceof OrderRejected) return rejected(orderId, error.code, error.reason);
    // A mapper must not take a worker down: anything unforeseen is a rejection with its message.
    const message = error instanceof Error ? error.message : String(error);

    return rejected(
      orderId,
      "MAPPING_FAILED",
      `the order could not be mapped: ${message.slice(0, 200)}`,
    );
  }
}

function rejected(externalId: string, code: TRejectionCode, reason: string): TOrderMapping {
  return { products: [], rejection: { entity: "order", externalId, code, reason } };
}

function mapOrder(
  orderId: string,
  records: TOrderRecords,
  source: TSalesOrderSource,
  options: Partial<TOrderMappingOptions>,
): TOrderMapping {
  const { order } = source;
  const label = `order ${cleanText(order.orderNumber, 60) ?? orderId}`;
  if (records.lines.length === 0) {
    throw new OrderRejected("NO_LINES", `${label} has no active lines in Plex`);
  }

  const customerId = plexId(order.customerId);
  const synced = customerId !== undefined && checkEmail(source.customerMemberEmail).ok;
  if (customerId === undefined || !synced) {
    throw new OrderRejected(
      "CUSTOMER_NOT_SYNCED",
      customerId === undefined
        ? `${label} names no customer`
        : `${label} belongs to customer ${customerId}, which has no usable e-mail identity in ` +
            "Mailchimp yet; the order is replayable once the customer is synced",
    );
  }

  const cancelled =
    isCancelledStatus(order.status) ||
    (records.releases.length > 0 && records.releases.every(isCancelledRelease));

  const lines: TOrderLine[] = [];
  const products = new Map<string, TProduct>();
  const currencies = new Set<string>();
  for (const line of records.lines) {
    const mapped = mapLine(line, records, source.partsById, cancelled, label);
    if (mapped === undefined) continue;
    lines.push(mapped.line);
    products.set(mapped.product.id, mapped.product);
    if (mapped.currency !== undefined) currencies.add(mapped.currency);
  }
  if (lines.length === 0) {
    throw new OrderRejected("NO_LINES", `${label} has no line with a quantity left to ship`);
  }
  if (currencies.size > 1) {
    throw new OrderRejected(
      "CURRENCY_MIXED",
      `${label} prices its lines in several currencies (${[...currencies].sort().join(", ")})`,
    );
  }

  const total = roundMoney(lines.reduce((sum, line) => sum + line.quantity * line.price, 0));
  const result: TOrder = {
    id: orderId,
    customer: { id: ecommerceCustomerId(customerId) },
    currency_code:
      [...currencies][0] ??
      invoiceCurrency(records.invoices) ??
      currencyCode(options.defaultCurrency) ??
      "USD",
    order_total: total,
    lines,
    financial_status: financialStatus(cancelled, total, records.invoices),
    fulfillment_status: fulfillmentStatus(cancelled, records.releases),
  };

  const processedAt = isoDateTime(order.orderDate) ?? isoDateTime(order.createdDate);
  const updatedAt = isoDateTime(order.modifiedDate);
  if (processedAt !== undefined) result.processed_at_foreign = processedAt;
  if (updatedAt !== undefined) result.updated_at_foreign = updatedAt;
  // "passing a value for this parameter will cancel the order being created" (spec).
  if (cancelled) result.cancelled_at_foreign = updatedAt ?? processedAt;
  if (result.cancelled_at_foreign === undefined) delete result.cancelled_at_foreign;

  const tracking = latestTracking(records.shippers, (shipper) =>
    carrierName(shipper, order, source.carrierNames),
  );
  if (tracking !== undefined) {
    result.tracking_number = tracking.number;
    if (tracking.carrier !== undefined) result.tracking_carrier = tracking.carrier;
  }

  return { order: result, products: [...products.values()] };
}

type TMappedLine = { line: TOrderLine; product: TProduct; currency?: string };

function mapLine(
  line: TPlexOrderLine,
  records: TOrderRecords,
  partsById: TSalesOrderSource["partsById"],
  cancelled: boolean,
  label: string,
): TMappedLine | undefined {
  const lineId = plexId(line.id) ?? "";
  const lineLabel = `${label} line ${cleanText(line.lineNumber, 20) ?? lineId}`;

  const partId = plexId(line.partId);
  const part = partId === undefined ? undefined : lookupPart(partsById, partId);
  const product = part === undefined ? undefined : mapPartToProduct(part);
  if (partId === undefined || product === undefined || product.id !== partId) {
    throw new OrderRejected(
      "PART_UNKNOWN",
      partId === undefined
        ? `${lineLabel} names no part`
        : `${lineLabel} names part ${partId}, which is not among the known Plex parts`,
    );
  }

  const releases = records.releasesByLine.get(lineId) ?? [];
  const counted = cancelled ? releases : releases.filter((release) => !isCancelledRelease(release));
  const quantities = counted.map((release) => finiteNumber(release.quantity));
  if (releases.length === 0 || quantities.some((q) => q === undefined || q < 0)) {
    throw new OrderRejected(
      "QUANTITY_MISSING",
      `${lineLabel} has ${releases.length === 0 ? "no releases" : "a release without a quantity"}, ` +
        "so its quantity is unknown",
    );
  }
  const quantity = quantities.reduce<number>((sum, q) => sum + (q ?? 0), 0);
  if (quantity === 0) return undefined;

  const price = linePrice(records.pricesByLine.get(lineId) ?? []);
  if (price === undefined) {
    throw new OrderRejected("PRICE_MISSING", `${lineLabel} has no active price in Plex`);
  }

  // Fractional quantities (kilograms, metres) cannot be sent as Mailchimp's integer quantity:
  // the line goes out as one unit at the extended price, so the order total stays right.
  const whole = Number.isInteger(quantity);
  const mailchimpQuantity = whole ? quantity : 1;
  const mailchimpPrice = whole ? price.price : roundMoney(quantity * price.price);
  if (mailchimpQuantity > MAX_QUANTITY || !Number.isFinite(mailchimpQuantity * mailchimpPrice)) {
    throw new OrderRejected("QUANTITY_MISSING", `${lineLabel} has an unusable quantity`);
  }

  return {
    line: {
      id: lineId,
      product_id: product.id,
      product_variant_id: product.variants[0]?.id ?? product.id,
      quantity: mailchimpQuantity,
      price: mailchimpPrice,
    },
    product,
    currency: price.currency,
  };
}

function lookupPart(
  partsById: TSalesOrderSource["partsById"],
  partId: string,
): TPlexPart | undefined {
  if (partsById instanceof Map) {
    const part: unknown = (partsById as ReadonlyMap<string, TPlexPart>).get(partId);

    return part !== null && typeof part === "object" ? (part as TPlexPart) : undefined;
  }
  if (partsById === null || typeof partsById !== "object") return undefined;

  return Object.prototype.hasOwnProperty.call(partsById, partId)
    ? (partsById as Readonly<Record<string, TPlexPart>>)[partId]
    : undefined;
}

/** The line's active primary price, else its first active price (by effective date, then id). */
function linePrice(
  prices: readonly TPlexLinePrice[],
): { price: number; currency?: string } | undefined {
  const usable = prices
    .filter((price) => price.active !== false)
    .map((price) => ({ record: price, value: finiteNumber(price.price) }))
    .filter(
      (entry): entry is { record: TPlexLinePrice; value: number } =>
        entry.value !== undefined && entry.value >= 0 && entry.value < 1e12,
    )
    .sort((a, b) => {
      const byDate =
        (parsePlexDate(a.record.effectiveDate) ?? 0) - (parsePlexDate(b.record.effectiveDate) ?? 0);
      if (byDate !== 0) return byDate;

      return String(a.record.id) < String(b.record.id) ? -1 : 1;
    });
  const chosen = usable.find((entry) => entry.record.primaryPrice === true) ?? usable[0];
  if (chosen === undefined) return undefined;

  const currency = currencyCode(chosen.record.currencyCode);

  return currency === undefined ? { price: chosen.value } : { price: chosen.value, currency };
}

function currencyCode(value: unknown): string | undefined {
  const code = cleanText(value, 10)?.toUpperCase();

  return code !== undefined && /^[A-Z]{3}$/.test(code) ? code : undefined;
}

function invoiceCurrency(invoices: readonly TPlexArInvoice[]): string | undefined {
  for (const invoice of invoices) {
    const code = currencyCode(invoice.currencyCode);
    if (code !== undefined) return code;
  }

  return undefined;
}

function carrierName(
  shipper: TPlexShipper,
  order: TPlexSalesOrder,
  names: Readonly<Record<string, string>> | undefined,
): string | undefined {
  const carrierId = plexId(shipper.carrierId);
  const known =
    carrierId !== undefined && names !== undefined && Object.hasOwn(names, carrierId)
      ? cleanText(names[carrierId], 100)
      : undefined;
  // Plex's order carries the carrier's name next to its id; it names the shipper's carrier
  // only when the ids agree.
  const fromOrder =
    carrierId !== undefined && plexId(order.carrierId) === carrierId
      ? cleanText((order as { carrier?: unknown }).carrier, 100)
      : undefined;
  const own = cleanText((shipper as { carrier?: unknown }).carrier, 100);

  return known ?? own ?? fromOrder;
}
