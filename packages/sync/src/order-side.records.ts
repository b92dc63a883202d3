/**
 * Plex rows of the order side → stored records: parsed record by record with the plex-client
 * schemas (a malformed row is rejected alone), tagged with their links, hashed. Also finds the
 * sales orders a set of changed records touches, following the links as far as they are known.
 */
import type { z } from "zod";

import type { TSqlPool } from "@ml-connector/db";
import { contentHash } from "@ml-connector/mappers";
import {
  ZPlexArInvoice,
  ZPlexLinePrice,
  ZPlexOrderLine,
  ZPlexRelease,
  ZPlexSalesOrder,
  ZPlexShipper,
  ZPlexShipperLine,
} from "@ml-connector/plex-client";

import { linksOf, tag, tagValues, type TOrderSideKind } from "./order-links.js";
import { findByIds, findByLinks, type TOrderSideRecord } from "./order-side.store.js";

const SCHEMAS: Record<TOrderSideKind, z.ZodType<{ id: string }>> = {
  order: ZPlexSalesOrder,
  line: ZPlexOrderLine,
  price: ZPlexLinePrice,
  release: ZPlexRelease,
  shipper: ZPlexShipper,
  shipper_line: ZPlexShipperLine,
  invoice: ZPlexArInvoice,
};

export type TParsedRows = {
  records: TOrderSideRecord[];
  rejected: { externalId: string; reason: string }[];
};

function plexDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);

  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/**
 * `parent` fills a link the row leaves out but its path implies: the order of a lines read, the
 * order line of a prices read, the shipper of a shipper-lines read.
 */
export function parseOrderSideRows(
  kind: TOrderSideKind,
  rows: unknown[],
  parent: Record<string, string> = {},
): TParsedRows {
  const parsed: TParsedRows = { records: [], rejected: [] };
  for (const row of rows) {
    const result = SCHEMAS[kind].safeParse(row);
    if (!result.success) {
      const id = (row as { id?: unknown } | null)?.id;
      parsed.rejected.push({
        externalId: typeof id === "string" && id !== "" ? id : "(no id)",
        reason: `Plex sent a ${kind.replace("_", " ")} without a usable id or with malformed fields`,
      });
      continue;
    }
    const data: Record<string, unknown> = { ...result.data };
    for (const [field, value] of Object.entries(parent)) {
      if (data[field] === undefined || data[field] === null || data[field] === "") {
        data[field] = value;
      }
    }
    const modified =
      plexDate(data.modifiedDate) ?? plexDate(data.createdDate) ?? plexDate(data.orderDate);
    parsed.records.push({
      externalId: result.data.id,
      links: linksOf(kind, data),
      contentHash: contentHash(data),
      data,
      // Orders are assembled in modified order, so every order carries a date.
      modifiedAt: modified ?? (kind === "order" ? new Date(0) : null),
    });
  }

  return parsed;
}

/** Ids of the stored orders carrying any of the `no:` tags. */
async function ordersByNumberTags(sql: TSqlPool, connectionId: string, tags: string[]) {
  const orders = await findByLinks(sql, connectionId, "order", tags);

  return orders.map((order) => order.externalId);
}

/** Orders of the given order lines, as far as their lines have been read. */
async function ordersOfLines(sql: TSqlPool, connectionId: string, lineIds: string[]) {
  const lines = await findByIds(sql, connectionId, "line", lineIds);

  return lines.flatMap((line) => tagValues(line.links, "order"));
}

export type TImpact = { orderIds: string[]; unlinkedShipperIds: string[] };

/**
 * The sales orders that changed records of `kind` belong to. Links not yet known (a release
 * whose order was not read yet, a shipper without invoice) are found from the other end later:
 * the assembler gathers an order's records by its own tags.
 */
export async function ordersTouched(
  sql: TSqlPool,
  connectionId: string,
  kind: TOrderSideKind,
  records: { externalId: string; links: string[] }[],
): Promise<TImpact> {
  const impact: TImpact = { orderIds: [], unlinkedShipperIds: [] };
  if (records.length === 0) return impact;
  const allTags = records.flatMap((record) => record.links);
  const numberTags = allTags.filter((link) => link.startsWith("no:"));

  if (kind === "order") impact.orderIds = records.map((record) => record.externalId);
  if (kind === "line") impact.orderIds = tagValues(allTags, "order");
  if (kind === "price") {
    impact.orderIds = await ordersOfLines(sql, connectionId, tagValues(allTags, "line"));
  }
  if (kind === "release" || kind === "invoice") {
    impact.orderIds = await ordersByNumberTags(sql, connectionId, numberTags);
  }
  if (kind === "release") {
    impact.orderIds.push(...(await ordersOfLines(sql, connectionId, tagValues(allTags, "line"))));
  }
  if (kind === "shipper_line") {
    const releases = await findByIds(sql, connectionId, "release", tagValues(allTags, "release"));
    impact.orderIds = (await ordersTouched(sql, connectionId, "release", releases)).orderIds;
  }
  if (kind === "shipper") {
    const shipperTags = records.flatMap((record) => [tag.shipper(record.externalId)!]);
    const byNumber = allTags.filter((link) => link.startsWith("shipno:"));
    const invoices = await findByLinks(sql, connectionId, "invoice", [...shipperTags, ...byNumber]);
    const shipperLines = await findByLinks(sql, connectionId, "shipper_line", shipperTags);
    impact.orderIds = await ordersByNumberTags(
      sql,
      connectionId,
      invoices.flatMap((invoice) => invoice.links.filter((link) => link.startsWith("no:"))),
    );
    const viaLines = await ordersTouched(sql, connectionId, "shipper_line", shipperLines);
    impact.orderIds.push(...viaLines.orderIds);

    const linked = new Set([
      ...invoices.flatMap((invoice) => invoice.links),
      ...shipperLines.flatMap((line) => line.links),
    ]);
    impact.unlinkedShipperIds = records
      .filter(
        (record) =>
          !linked.has(tag.shipper(record.externalId)!) &&
          !record.links.some((link) => link.startsWith("shipno:") && linked.has(link)),
      )
      .map((record) => record.externalId);
  }
  impact.orderIds = [...new Set(impact.orderIds)];

  return impact;
}
