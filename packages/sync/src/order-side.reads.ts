/**
 * Per-record Plex reads the bulk lists cannot replace: an order's lines, an order line's prices,
 * a shipper's lines. Each costs one call of the ~200 a minute (reference plex-api.md §2.7), so
 * they are drawn from a per-run allowance (ReadAllowance) and their answers are stored for good:
 * lines and prices rarely change, and a changed order is read through the bulk lists again.
 */
import { bulkSql } from "@ml-connector/db";
import { PlexApiError, type TPlexGetPath } from "@ml-connector/plex-client";

import { appendAudit } from "./audit.writer.js";
import type { TOrderSideKind } from "./order-links.js";
import { parseOrderSideRows } from "./order-side.records.js";
import { upsertOrderSide } from "./order-side.store.js";
import type { TPollContext } from "./poll.types.js";

/** Per-record reads one poll run may spend; the rest wait for the next run. */
export class ReadAllowance {
  spent = 0;
  /** Orders this run could not complete for want of reads: not gathered again in the run. */
  readonly waiting = new Set<string>();

  constructor(readonly limit: number) {}

  /** Reads the waiting orders need (a lines read counts one; their prices come after it). */
  readsWanted = 0;

  /** Notes reads an order needs beyond the allowance; always undefined, for the caller. */
  wants(count: number): undefined {
    this.readsWanted += count;

    return undefined;
  }

  take(count = 1): boolean {
    if (this.spent + count > this.limit) return false;
    this.spent += count;

    return true;
  }
}

async function readAndStore(
  ctx: TPollContext,
  kind: TOrderSideKind,
  path: TPlexGetPath,
  pathParams: Record<string, string>,
  parent: Record<string, string>,
): Promise<number> {
  let rows: unknown[];
  try {
    rows = await ctx.plex.list(path, { pathParams, signal: ctx.signal });
  } catch (err) {
    // Plex answers 404 for "no data exists to return" as well (reference plex-api.md §2.6).
    if (err instanceof PlexApiError && err.status === 404) rows = [];
    else throw err;
  }
  const parsed = parseOrderSideRows(kind, rows, parent);
  await upsertOrderSide(bulkSql(ctx.prisma), ctx.connection.id, kind, parsed.records);
  await appendAudit(
    ctx.prisma,
    ctx.connection.id,
    parsed.rejected.map((rejection) => ({
      entity: kind,
      externalId: rejection.externalId,
      stage: "rejected" as const,
      reason: rejection.reason,
      jobId: ctx.jobId,
    })),
    ctx.log,
  );

  return parsed.records.length;
}

export function readOrderLines(ctx: TPollContext, orderId: string): Promise<number> {
  return readAndStore(ctx, "line", "/sales/v1/orders/{id}/lines", { id: orderId }, { orderId });
}

export function readLinePrices(ctx: TPollContext, orderId: string, lineId: string) {
  return readAndStore(
    ctx,
    "price",
    "/sales/v1/orders/{id}/lines/{lineId}/prices",
    { id: orderId, lineId },
    { orderLineId: lineId },
  );
}

export function readShipperLines(ctx: TPollContext, shipperId: string): Promise<number> {
  return readAndStore(
    ctx,
    "shipper_line",
    "/shipping/v1/customer-shippers/{shipperId}/lines",
    { shipperId },
    { shipperId },
  );
}
