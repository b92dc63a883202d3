/**
 * What the bulk lists say about one sales order, and what is still missing. Plex keeps an order's
 * lines and line prices as per-order sub-resources (one call each, against ~200 calls a minute,
 * reference plex-api.md §2.7–2.8), so they are read only when the windowed bulk lists cannot
 * supply them:
 * - lines: read once (authoritative), else inferred from the releases that name the order by
 *   release number (releases carry their order line, part number and quantity), checked against
 *   the order's ship-to address and the parts its invoices bill;
 * - prices: read once per line, else the unit price the order's AR invoice lines bill for the
 *   line's part, else the price of the shipper lines that shipped the line's releases.
 * Pure: no I/O. The assembler gathers the records and performs the reads this plan asks for.
 */
import type {
  TPlexArInvoice,
  TPlexLinePrice,
  TPlexOrderLine,
  TPlexPart,
  TPlexRelease,
  TPlexSalesOrder,
  TPlexShipperLine,
} from "@ml-connector/plex-client";

import { isCancelledStatus } from "@ml-connector/mappers";

import { cleanTag, invoiceLines, invoiceOrderNumbers } from "./order-links.js";

export type TPartIndex = {
  byId: Map<string, TPlexPart>;
  /** Lower-cased part number → part, or "ambiguous" when several parts share it. */
  byNumber: Map<string, TPlexPart | "ambiguous">;
};

export type TOrderEvidence = {
  order: TPlexSalesOrder;
  /** Lines read from Plex for this order; undefined when they were never read. */
  readLines?: TPlexOrderLine[];
  /** Releases of the read lines, or naming the order by release number. */
  releases: TPlexRelease[];
  prices: TPlexLinePrice[];
  invoices: TPlexArInvoice[];
  shipperLines: TPlexShipperLine[];
};

export type TOrderPlan = {
  /** Undefined: the order's lines must be read from Plex. */
  lines?: TPlexOrderLine[];
  linesSource?: "read" | "inferred";
  /** Why the releases could not stand in for the lines. */
  inferenceProblem?: string;
  releases: TPlexRelease[];
  prices: TPlexLinePrice[];
  /** Lines with a quantity to send and no price from any bulk list. */
  unpricedLineIds: string[];
};

const isCancelled = isCancelledStatus;

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function planOrder(evidence: TOrderEvidence, parts: TPartIndex): TOrderPlan {
  const readLines = evidence.readLines;
  if (readLines !== undefined && readLines.length > 0) {
    const ids = new Set(readLines.map((line) => line.id));
    const releases = evidence.releases.filter((release) => ids.has(String(release.orderLineId)));

    return priced(evidence, readLines, "read", releases);
  }

  const inferred = inferLines(evidence, parts);
  if (typeof inferred === "string") {
    return { inferenceProblem: inferred, releases: [], prices: [], unpricedLineIds: [] };
  }

  return priced(evidence, inferred.lines, "inferred", inferred.releases);
}

function inferLines(
  evidence: TOrderEvidence,
  parts: TPartIndex,
): { lines: TPlexOrderLine[]; releases: TPlexRelease[] } | string {
  const { order } = evidence;
  const releases = evidence.releases;
  if (releases.length === 0) return "no release names the order by its number";

  const byLine = new Map<string, TPlexRelease[]>();
  for (const release of releases) {
    const lineId = cleanTag(release.orderLineId);
    if (lineId === undefined) return `release ${release.id} names no order line`;
    const shipTo = cleanTag((release as { shipToAddressId?: unknown }).shipToAddressId);
    const orderShipTo = cleanTag((order as { shipToAddressId?: unknown }).shipToAddressId);
    if (shipTo !== undefined && orderShipTo !== undefined && shipTo !== orderShipTo) {
      return `release ${release.id} ships to another address than the order`;
    }
    byLine.set(lineId, [...(byLine.get(lineId) ?? []), release]);
  }

  const lines: TPlexOrderLine[] = [];
  for (const [lineId, lineReleases] of byLine) {
    const numbers = new Set(
      lineReleases.map((release) => cleanTag(release.partNumber)?.toLowerCase()),
    );
    const number = [...numbers][0];
    if (numbers.size !== 1 || number === undefined) {
      return `the releases of order line ${lineId} name no single part number`;
    }
    const part = parts.byNumber.get(number);
    if (part === undefined || part === "ambiguous") {
      return `part number ${number} is ${part === undefined ? "not among the known parts" : "ambiguous"}`;
    }
    lines.push({
      id: lineId,
      orderId: order.id,
      partId: part.id,
      lineNumber: lineNumberOf(lineReleases[0]!, order),
      active: true,
    });
  }

  // What the order's invoices billed must be on the inferred lines, or the inference is wrong.
  const partIds = new Set(lines.map((line) => line.partId));
  for (const line of billedLines(evidence)) {
    const partId = cleanTag(line.partId);
    if (partId !== undefined && !partIds.has(partId)) {
      return `an invoice bills part ${partId}, which no release of the order names`;
    }
  }

  return { lines, releases };
}

/** "SO1001-2-1" of order "SO1001" → line "2". */
function lineNumberOf(release: TPlexRelease, order: TPlexSalesOrder): string | undefined {
  const number = cleanTag(release.releaseNumber);
  const prefix = cleanTag(order.orderNumber);
  if (number === undefined || prefix === undefined) return undefined;
  const rest = number.slice(prefix.length).replace(/^[-/_.\s]+/, "");
  const first = /^(\d{1,6})/.exec(rest)?.[1];

  return first === undefined ? undefined : String(Number(first));
}

/** Invoice lines billed for this order (by the line's order number, else the invoice's). */
function billedLines(evidence: TOrderEvidence): Record<string, unknown>[] {
  const number = cleanTag(evidence.order.orderNumber)?.toLowerCase();
  const billed: Record<string, unknown>[] = [];
  for (const invoice of evidence.invoices) {
    if (invoice.void === true || isCancelled(invoice.status)) continue;
    const named = invoiceOrderNumbers(invoice);
    for (const line of invoiceLines(invoice)) {
      const lineOrder = cleanTag(line.customerOrderNo)?.toLowerCase();
      const mine =
        lineOrder !== undefined ? lineOrder === number : named.length === 1 && named[0] === number;
      if (mine) billed.push({ ...line, currencyCode: invoice.currencyCode, invoiceId: invoice.id });
    }
  }

  return billed;
}

function priced(
  evidence: TOrderEvidence,
  lines: TPlexOrderLine[],
  linesSource: "read" | "inferred",
  releases: TPlexRelease[],
): TOrderPlan {
  const lineIds = new Set(lines.map((line) => line.id));
  const prices = evidence.prices.filter((price) => lineIds.has(String(price.orderLineId)));
  const pricedLines = new Set(prices.map((price) => String(price.orderLineId)));
  const billed = billedLines(evidence);
  const cancelledOrder = isCancelled(evidence.order.status);
  const unpricedLineIds: string[] = [];

  for (const line of lines) {
    if (pricedLines.has(line.id)) continue;
    const lineReleases = releases.filter((release) => release.orderLineId === line.id);
    const live = lineReleases.filter(
      (release) => !isCancelled(release.status) && (finite(release.quantity) ?? 0) > 0,
    );
    // A line whose releases are all cancelled is not sent; a cancelled order is sent without
    // lines (order.writer.ts), so neither needs a price.
    if (live.length === 0 || cancelledOrder) continue;

    const fromBulk = bulkPrice(line, lineReleases, billed, evidence.shipperLines);
    if (fromBulk === undefined) unpricedLineIds.push(line.id);
    else prices.push(fromBulk);
  }

  return { lines, linesSource, releases, prices, unpricedLineIds };
}

/** One price the bulk lists agree on for the line, or undefined. */
function bulkPrice(
  line: TPlexOrderLine,
  releases: TPlexRelease[],
  billed: Record<string, unknown>[],
  shipperLines: TPlexShipperLine[],
): TPlexLinePrice | undefined {
  const invoiced = billed.filter((entry) => cleanTag(entry.partId) === line.partId);
  const invoicePrices = new Set(invoiced.map((entry) => finite(entry.unitPrice)));
  if (invoicePrices.size === 1 && !invoicePrices.has(undefined)) {
    const first = invoiced[0]!;

    return {
      id: `invoice:${String(first.invoiceId)}:${line.id}`,
      orderLineId: line.id,
      price: finite(first.unitPrice)!,
      currencyCode: typeof first.currencyCode === "string" ? first.currencyCode : null,
      active: true,
      primaryPrice: true,
    };
  }

  const releaseIds = new Set(releases.map((release) => release.id));
  const shipped = shipperLines.filter((entry) => releaseIds.has(String(entry.releaseId)));
  const shipperPrices = new Set(shipped.map((entry) => finite(entry.price)));
  if (shipperPrices.size === 1 && !shipperPrices.has(undefined)) {
    return {
      id: `shipper-line:${shipped[0]!.id}`,
      orderLineId: line.id,
      price: finite(shipped[0]!.price)!,
      active: true,
      primaryPrice: true,
    };
  }

  return undefined;
}
