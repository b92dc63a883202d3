/**
 * One line of a Plex sales order as a Mailchimp order line: the part it sells (which must be a
 * known Plex part, since Mailchimp lines must name existing products, reference
 * mailchimp-api.md §4), the quantity its releases schedule (an order line has none of its own in
 * Plex) and its price (the active primary line price, else the first active one).
 */
import type { TOrderLine, TProduct } from "@ml-connector/mailchimp-client";
import type { TPlexLinePrice, TPlexOrderLine, TPlexPart } from "@ml-connector/plex-client";

import type { TRejectionCode } from "./mapping.types.js";
import type { TOrderRecords } from "./order-records.selector.js";
import { isCancelledRelease } from "./order-status.rules.js";
import { plexId } from "./plex-input.guards.js";
import { mapPartToProduct } from "./product.mapper.js";
import { cleanText, finiteNumber, parsePlexDate, roundMoney } from "./text.normalizer.js";

export type TPartsById = ReadonlyMap<string, TPlexPart> | Readonly<Record<string, TPlexPart>>;

/** Mailchimp line quantities are integers (spec: `quantity` type integer), at most int32. */
const MAX_QUANTITY = 2_147_483_647;

/** Thrown inside the order mapper only, and always turned into a rejection by it. */
export class OrderRejected extends Error {
  constructor(
    readonly code: TRejectionCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export type TMappedLine = { line: TOrderLine; product: TProduct; currency?: string };

export function mapLine(
  line: TPlexOrderLine,
  records: TOrderRecords,
  partsById: TPartsById,
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

function lookupPart(partsById: TPartsById, partId: string): TPlexPart | undefined {
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

export function currencyCode(value: unknown): string | undefined {
  const code = cleanText(value, 10)?.toUpperCase();

  return code !== undefined && /^[A-Z]{3}$/.test(code) ? code : undefined;
}
