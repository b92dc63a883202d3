/**
 * Gathers, for a batch of sales orders, every stored record linked to each (order-links.ts): the
 * lines read for it, the releases of those lines or naming it by release number, line prices,
 * the AR invoices naming it, shipper lines of its releases, and the customer shippers its
 * invoices or shipper lines name (with carrier names, which Plex's orders carry next to the
 * carrier id while shippers carry only the id). About ten indexed queries per batch.
 */
import type { TSqlPool } from "@ml-connector/db";
import type {
  TPlexArInvoice,
  TPlexLinePrice,
  TPlexOrderLine,
  TPlexRelease,
  TPlexSalesOrder,
  TPlexShipper,
  TPlexShipperLine,
} from "@ml-connector/plex-client";

import type { TOrderEvidence } from "./order-evidence.planner.js";
import { cleanTag, invoiceLines, invoiceOrderNumbers, tag, tagValues } from "./order-links.js";
import { findByIds, findByLinks, type TStoredOrderSide } from "./order-side.store.js";

export type TGatheredOrder = TOrderEvidence & {
  shippers: TPlexShipper[];
  carrierNames: Record<string, string>;
};

const data = <T>(records: TStoredOrderSide[]) => records.map((record) => record.data as T);

function numberOf(order: TPlexSalesOrder): string | undefined {
  return cleanTag(order.orderNumber)?.toLowerCase();
}

export async function gatherEvidence(
  sql: TSqlPool,
  connectionId: string,
  orders: TPlexSalesOrder[],
): Promise<Map<string, TGatheredOrder>> {
  const numberTags = orders.map((order) => tag.number(order.orderNumber)).filter(isTag);
  const readLines = data<TPlexOrderLine>(
    await findByLinks(
      sql,
      connectionId,
      "line",
      orders.map((order) => tag.order(order.id)!),
    ),
  );
  const readLineIds = new Set(readLines.map((line) => line.id));
  const releasesOfRead = await findByLinks(
    sql,
    connectionId,
    "release",
    readLines.map((line) => tag.line(line.id)!),
  );
  const named = await releasesNamingOrders(sql, connectionId, numberTags);
  const releases = [...releasesOfRead, ...named.releases];
  const lineIds = [
    ...readLineIds,
    ...releases.map((release) => cleanTag(release.data.orderLineId)).filter(isTag),
  ];
  const prices = data<TPlexLinePrice>(
    await findByLinks(
      sql,
      connectionId,
      "price",
      lineIds.map((id) => tag.line(id)!),
    ),
  );
  const invoices = data<TPlexArInvoice>(
    await findByLinks(sql, connectionId, "invoice", numberTags),
  );
  const shipperLines = data<TPlexShipperLine>(
    await findByLinks(
      sql,
      connectionId,
      "shipper_line",
      releases.map((release) => tag.release(release.externalId)!),
    ),
  );
  const releasesOfReadLines = data<TPlexRelease>(releasesOfRead);
  const shippers = await shippersOf(sql, connectionId, invoices, shipperLines);
  const carrierNames = await carrierNamesOf(sql, connectionId, [...shippers.values()]);

  const gathered = new Map<string, TGatheredOrder>();
  for (const order of orders) {
    const number = numberOf(order);
    const ownReadLines = readLines.filter((line) => line.orderId === order.id);
    const ownLineIds = new Set(ownReadLines.map((line) => line.id));
    // Lines read from Plex decide; without them, the releases naming the order stand in.
    const ownReleases =
      ownLineIds.size > 0
        ? releasesOfReadLines.filter((release) => ownLineIds.has(String(release.orderLineId)))
        : (named.byNumber.get(number ?? "") ?? []).filter(
            (release) => !readLineIds.has(String(release.orderLineId)),
          );
    const releaseIds = new Set(ownReleases.map((release) => release.id));
    const ownInvoices = invoices.filter(
      (invoice) => number !== undefined && invoiceOrderNumbers(invoice).includes(number),
    );
    const ownShipperLines = shipperLines.filter((line) => releaseIds.has(String(line.releaseId)));
    const ownShippers = shippersNamed(shippers, ownInvoices, ownShipperLines);
    gathered.set(order.id, {
      order,
      readLines: ownReadLines.length > 0 ? ownReadLines : undefined,
      releases: ownReleases,
      prices,
      invoices: ownInvoices,
      shipperLines: ownShipperLines,
      shippers: ownShippers,
      carrierNames: pick(carrierNames, ownShippers),
    });
  }

  return gathered;
}

function isTag(value: string | undefined): value is string {
  return value !== undefined;
}

/**
 * Releases naming orders by release number. A release number has several candidate prefixes;
 * it belongs to the longest one that is a stored order's number, so "SO1-01-2" goes to order
 * "SO1-01" even when an order "SO1" exists.
 */
async function releasesNamingOrders(sql: TSqlPool, connectionId: string, numberTags: string[]) {
  const releases = await findByLinks(sql, connectionId, "release", numberTags);
  const candidateTags = [...new Set(releases.flatMap((r) => r.links.filter(isNumberTag)))];
  const orders = await findByLinks(sql, connectionId, "order", candidateTags);
  const known = new Set(orders.flatMap((order) => tagValues(order.links, "no")));
  const byNumber = new Map<string, TPlexRelease[]>();
  const kept: TStoredOrderSide[] = [];
  for (const release of releases) {
    const best = tagValues(release.links, "no")
      .filter((number) => known.has(number))
      .sort((a, b) => b.length - a.length)[0];
    if (best === undefined) continue;
    byNumber.set(best, [...(byNumber.get(best) ?? []), release.data as TPlexRelease]);
    kept.push(release);
  }

  return { releases: kept, byNumber };
}

const isNumberTag = (link: string) => link.startsWith("no:");

async function shippersOf(
  sql: TSqlPool,
  connectionId: string,
  invoices: TPlexArInvoice[],
  shipperLines: TPlexShipperLine[],
): Promise<Map<string, TPlexShipper>> {
  const ids = [
    ...shipperLines.map((line) => cleanTag(line.shipperId)),
    ...invoices.flatMap((invoice) => invoiceLines(invoice).map((line) => cleanTag(line.shipperId))),
  ].filter(isTag);
  const numbers = invoices
    .flatMap((invoice) => [
      tag.shipperNumber(invoice.shipperNo),
      ...invoiceLines(invoice).map((line) => tag.shipperNumber(line.shipperNo)),
    ])
    .filter(isTag);
  const found = [
    ...(await findByIds(sql, connectionId, "shipper", ids)),
    ...(await findByLinks(sql, connectionId, "shipper", numbers)),
  ];

  return new Map(found.map((record) => [record.externalId, record.data as TPlexShipper]));
}

function shippersNamed(
  shippers: Map<string, TPlexShipper>,
  invoices: TPlexArInvoice[],
  shipperLines: TPlexShipperLine[],
): TPlexShipper[] {
  const ids = new Set(shipperLines.map((line) => String(line.shipperId)));
  const numbers = new Set<string>();
  for (const invoice of invoices) {
    const number = cleanTag(invoice.shipperNo)?.toLowerCase();
    if (number !== undefined) numbers.add(number);
    for (const line of invoiceLines(invoice)) {
      const id = cleanTag(line.shipperId);
      if (id !== undefined) ids.add(id);
      const lineNumber = cleanTag(line.shipperNo)?.toLowerCase();
      if (lineNumber !== undefined) numbers.add(lineNumber);
    }
  }

  return [...shippers.values()].filter(
    (shipper) =>
      ids.has(shipper.id) || numbers.has(cleanTag(shipper.shipperNumber)?.toLowerCase() ?? ""),
  );
}

/** Carrier id → name, learnt from the orders that carry both. */
async function carrierNamesOf(
  sql: TSqlPool,
  connectionId: string,
  shippers: TPlexShipper[],
): Promise<Map<string, string>> {
  const ids = [...new Set(shippers.map((shipper) => cleanTag(shipper.carrierId)).filter(isTag))];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const { rows } = await sql.query<{ carrier_id: string; name: string }>(
    `SELECT DISTINCT ON (data->>'carrierId') data->>'carrierId' AS carrier_id,
       data->>'carrier' AS name
     FROM plex_order_records
     WHERE links && $2::text[] AND connection_id = $1 AND kind = 'order'
       AND coalesce(data->>'carrier', '') <> ''`,
    [connectionId, ids.map((id) => tag.carrier(id)!)],
  );
  for (const row of rows) names.set(row.carrier_id, row.name);

  return names;
}

function pick(names: Map<string, string>, shippers: TPlexShipper[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const shipper of shippers) {
    const id = cleanTag(shipper.carrierId);
    const name = id === undefined ? undefined : names.get(id);
    if (id !== undefined && name !== undefined) picked[id] = name;
  }

  return picked;
}
