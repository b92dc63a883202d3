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
import { currencyCode, mapLine, OrderRejected, type TPartsById } from "./order-line.mapper.js";
import { selectRecords, type TOrderRecords } from "./order-records.selector.js";
import { plexId } from "./plex-input.guards.js";
import { cleanText, isoDateTime, roundMoney } from "./text.normalizer.js";

export type TSalesOrderSource = {
  order: TPlexSalesOrder;
  lines: TPlexOrderLine[];
  prices: TPlexLinePrice[];
  releases: TPlexRelease[];
  shippers: TPlexShipper[];
  shipperLines: TPlexShipperLine[];
  invoices: TPlexArInvoice[];
  partsById: TPartsById;
  /** The customer's member e-mail once the customer is synced; without it the order waits. */
  customerMemberEmail?: string;
  /** Carrier names by Plex carrier id; shippers only carry the id. */
  carrierNames?: Readonly<Record<string, string>>;
};

export type TOrderMappingOptions = {
  /** ISO 4217 code used when neither prices nor invoices name a currency. */
  defaultCurrency: string;
  /**
   * Maps the order for the customer's order history only: the customer need not be synced yet
   * (order statistics do not depend on Mailchimp). Such an order must not be sent.
   */
  forStatistics: boolean;
};

export type TOrderMapping = { order?: TOrder; products: TProduct[]; rejection?: TRejection };

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
  const synced =
    customerId !== undefined &&
    (options.forStatistics === true || checkEmail(source.customerMemberEmail).ok);
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
