/**
 * Picks, from the records a caller gathered for one sales order, those that belong to it, and
 * indexes them by order line. Plex links them only loosely: lines name their order, prices and
 * releases their line, shipper lines their release (customer shippers are per customer, not per
 * order), and AR invoices name orders as text in `customerOrderNos` (reference plex-api.md
 * "Invoices"). A record whose link field is empty is trusted to belong (the caller chose it);
 * one whose link names something else is left out.
 */
import type {
  TPlexArInvoice,
  TPlexLinePrice,
  TPlexOrderLine,
  TPlexRelease,
  TPlexSalesOrder,
  TPlexShipper,
  TPlexShipperLine,
} from "@ml-connector/plex-client";

import { isCancelledStatus } from "./order-status.rules.js";
import { plexId, recordList } from "./plex-input.guards.js";
import { cleanText } from "./text.normalizer.js";

export type TOrderRecordsSource = {
  order: TPlexSalesOrder;
  lines: TPlexOrderLine[];
  prices: TPlexLinePrice[];
  releases: TPlexRelease[];
  shippers: TPlexShipper[];
  shipperLines: TPlexShipperLine[];
  invoices: TPlexArInvoice[];
};

export type TOrderRecords = {
  /** Active lines (all lines of a cancelled order), sorted by line number, then id. */
  lines: TPlexOrderLine[];
  releases: TPlexRelease[];
  releasesByLine: Map<string, TPlexRelease[]>;
  pricesByLine: Map<string, TPlexLinePrice[]>;
  shippers: TPlexShipper[];
  invoices: TPlexArInvoice[];
};

/** True when `link` is empty or equals `id`. */
const linksTo = (link: unknown, id: string | undefined) => {
  const target = plexId(link);

  return target === undefined || target === id;
};

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }

  return groups;
}

function byLineNumber(a: TPlexOrderLine, b: TPlexOrderLine): number {
  const numberA = Number(a.lineNumber);
  const numberB = Number(b.lineNumber);
  const byNumber =
    (Number.isFinite(numberA) ? numberA : Infinity) -
    (Number.isFinite(numberB) ? numberB : Infinity);
  if (byNumber !== 0 && !Number.isNaN(byNumber)) return byNumber;

  return String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
}

export function selectRecords(source: TOrderRecordsSource, orderId: string): TOrderRecords {
  const seen = new Set<string>();
  const allLines = recordList(source.lines)
    .filter((line) => linksTo(line.orderId, orderId))
    .filter((line) => {
      const id = plexId(line.id);
      if (id === undefined || seen.has(id)) return false;
      seen.add(id);

      return true;
    })
    .sort(byLineNumber);
  const activeLines = allLines.filter((line) => line.active !== false);
  const lines = isCancelledStatus(source.order.status) ? allLines : activeLines;
  const lineIds = new Set(lines.map((line) => plexId(line.id)));

  const releases = recordList(source.releases).filter((release) =>
    lineIds.has(plexId(release.orderLineId)),
  );
  const prices = recordList(source.prices).filter((price) =>
    lineIds.has(plexId(price.orderLineId)),
  );

  const releaseIds = new Set(releases.map((release) => plexId(release.id)));
  const shipperLines = recordList(source.shipperLines).filter((line) =>
    releaseIds.has(plexId(line.releaseId)),
  );
  const shipperIds = new Set(shipperLines.map((line) => plexId(line.shipperId)));
  // Without shipper lines, the shippers given are taken as this order's (the caller's choice).
  const customerId = plexId(source.order.customerId);
  const shippers = recordList(source.shippers).filter((shipper) =>
    recordList(source.shipperLines).length === 0
      ? linksTo(shipper.customerId, customerId)
      : shipperIds.has(plexId(shipper.id)),
  );

  const shipperNumbers = new Set(
    shippers.map((shipper) => cleanText(shipper.shipperNumber, 60)?.toLowerCase()),
  );
  const invoices = recordList(source.invoices).filter((invoice) =>
    invoiceBelongs(invoice, source.order, shipperNumbers),
  );

  return {
    lines,
    releases,
    releasesByLine: groupBy(releases, (release) => plexId(release.orderLineId)),
    pricesByLine: groupBy(prices, (price) => plexId(price.orderLineId)),
    shippers,
    invoices,
  };
}

/** Invoices name their orders as text ("SO-1001, SO-1002") and their shipper by number. */
function invoiceBelongs(
  invoice: TPlexArInvoice,
  order: TPlexSalesOrder,
  shipperNumbers: Set<string | undefined>,
): boolean {
  if (!linksTo(invoice.customerId, plexId(order.customerId))) return false;

  const orderNumber = cleanText(order.orderNumber, 60)?.toLowerCase();
  const named = (cleanText(invoice.customerOrderNos, 1000) ?? "")
    .toLowerCase()
    .split(/[\s,;|]+/)
    .filter((token) => token !== "");
  const shipperNo = cleanText(invoice.shipperNo, 60)?.toLowerCase();

  if (named.length === 0 && shipperNo === undefined) return true;
  if (orderNumber !== undefined && named.includes(orderNumber)) return true;

  return shipperNo !== undefined && shipperNumbers.has(shipperNo);
}
