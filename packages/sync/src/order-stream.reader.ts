/**
 * The order-side streams: sales orders (GET /sales/v1/orders through `modifiedByDateBegin/End`,
 * the names as published, reference plex-api.md §2.5), releases, customer shippers and AR
 * invoices (`modifiedDateBegin/End`). Each reads its adaptive date windows, stores the records
 * with their link tags, marks the sales orders they touch as pending and, after every window,
 * lets the assembler build the orders that are ready. The cursor moves after each window: its
 * records are stored and the orders they touch are marked, which is all the hand-on there is.
 */
import { bulkSql } from "@ml-connector/db";
import type { TPlexGetPath } from "@ml-connector/plex-client";
import type { TPlexStream } from "@ml-connector/queues";

import { appendAudit } from "./audit.writer.js";
import { readCursor, saveCursor } from "./cursor.store.js";
import { assembleReadyOrders, type TAssemblyResult } from "./order.assembler.js";
import { tag, type TOrderSideKind } from "./order-links.js";
import { ReadAllowance, readShipperLines } from "./order-side.reads.js";
import { ordersTouched, parseOrderSideRows } from "./order-side.records.js";
import { findByLinks, markOrdersPending, upsertOrderSide } from "./order-side.store.js";
import { rebuildOrdersOfSyncedCustomers } from "./order-replay.js";
import {
  BACKFILL_START,
  WINDOW_OVERLAP_MS,
  WINDOW_SETTLE_MS,
  type TPollContext,
  type TPollResult,
} from "./poll.types.js";
import { WindowPlanner } from "./window.planner.js";

export type TOrderStream = Extract<TPlexStream, "orders" | "releases" | "shippers" | "invoices">;

type TStreamDef = {
  kind: TOrderSideKind;
  path: TPlexGetPath;
  begin: string;
  end: string;
  /** Rows at which a window is split; Plex may cap an answer without saying so. */
  maxRows?: number;
};

const STREAMS: Record<TOrderStream, TStreamDef> = {
  orders: {
    kind: "order",
    path: "/sales/v1/orders",
    begin: "modifiedByDateBegin",
    end: "modifiedByDateEnd",
  },
  releases: {
    kind: "release",
    path: "/sales/v1/releases",
    begin: "modifiedDateBegin",
    end: "modifiedDateEnd",
  },
  shippers: {
    kind: "shipper",
    path: "/shipping/v1/customer-shippers",
    begin: "modifiedDateBegin",
    end: "modifiedDateEnd",
  },
  // AR invoices are documented as about 1 000 per call (reference plex-api.md §2.7): a window
  // near that size may have been cut short, so it is split well below it.
  invoices: {
    kind: "invoice",
    path: "/accounting/v1/ar-invoices",
    begin: "modifiedDateBegin",
    end: "modifiedDateEnd",
    maxRows: 900,
  },
};

export const ORDER_STREAMS = Object.keys(STREAMS) as TOrderStream[];

export type TOrderStreamOptions = {
  maxRowsPerWindow?: number;
  /** Per-record Plex reads (order lines, line prices, shipper lines) one run may spend. */
  readsPerRun?: number;
  /** Changed shippers in one window up to which unlinked ones get their lines read. */
  shipperLineReadLimit?: number;
};

export type TOrderPollResult = TPollResult & { assembly: TAssemblyResult; splits: number };

export async function pollOrderStream(
  ctx: TPollContext,
  stream: TOrderStream,
  options: TOrderStreamOptions = {},
): Promise<TOrderPollResult> {
  const { connection, prisma, log } = ctx;
  const def = STREAMS[stream];
  const sql = bulkSql(prisma);
  const callsBefore = ctx.plex.calls;
  const allowance = new ReadAllowance(options.readsPerRun ?? 100);
  const maxRows = Math.min(options.maxRowsPerWindow ?? 5_000, def.maxRows ?? Infinity);
  const result: TOrderPollResult = {
    windows: 0,
    rows: 0,
    changed: 0,
    rejected: 0,
    queued: 0,
    plexCalls: 0,
    splits: 0,
    assembly: {
      orders: 0,
      handedOn: 0,
      waiting: 0,
      linesInferred: 0,
      linesRead: 0,
      pricesRead: 0,
      readsWanted: 0,
    },
  };
  await rebuildOrdersOfSyncedCustomers(ctx);

  const cursor = await readCursor(prisma, connection.id, stream);
  const to = new Date(ctx.now.getTime() - WINDOW_SETTLE_MS);
  const from =
    cursor.watermark === undefined
      ? BACKFILL_START
      : new Date(cursor.watermark.getTime() - WINDOW_OVERLAP_MS);
  const planner = new WindowPlanner({
    from,
    to,
    initialSpanMs: cursor.watermark === undefined ? 30 * 86_400_000 : to.getTime() - from.getTime(),
    minSpanMs: 1_000,
    maxSpanMs: 5 * 365 * 86_400_000,
    maxRows,
  });

  for (let window = planner.next(); window !== undefined; window = planner.next()) {
    const rows = await ctx.plex.list(def.path, {
      query: { [def.begin]: window.start, [def.end]: window.end },
      signal: ctx.signal,
    });
    if (planner.report(window, rows.length) === "split") continue;
    result.windows += 1;
    result.rows += rows.length;

    const parsed = parseOrderSideRows(def.kind, rows);
    result.rejected += parsed.rejected.length;
    const changedIds = new Set(await upsertOrderSide(sql, connection.id, def.kind, parsed.records));
    const changed = parsed.records.filter((record) => changedIds.has(record.externalId));
    result.changed += changed.length;
    const impact = await ordersTouched(sql, connection.id, def.kind, changed);
    if (stream === "shippers") {
      impact.orderIds.push(
        ...(await linkShippers(ctx, impact.unlinkedShipperIds, allowance, options)),
      );
    }
    await markOrdersPending(sql, connection.id, impact.orderIds);
    await appendAudit(
      prisma,
      connection.id,
      parsed.rejected.map((rejection) => ({
        entity: def.kind,
        externalId: rejection.externalId,
        stage: "rejected" as const,
        reason: rejection.reason,
        jobId: ctx.jobId,
      })),
      log,
    );
    result.plexCalls = ctx.plex.calls - callsBefore;
    await saveCursor(
      prisma,
      connection.id,
      stream,
      { watermark: window.end, boundaryIds: [] },
      {
        windows: result.windows,
        rows: result.rows,
        changed: result.changed,
        plexCalls: result.plexCalls,
      },
    );
    log.info(
      {
        connectionId: connection.id,
        stream,
        window,
        rows: rows.length,
        changed: changed.length,
        orders: impact.orderIds.length,
      },
      "plex window read",
    );

    addAssembly(result.assembly, await assembleReadyOrders(ctx, allowance));
  }
  // Orders that waited for reads (or for another stream) get their turn even when idle.
  if (result.windows === 0) addAssembly(result.assembly, await assembleReadyOrders(ctx, allowance));

  result.splits = planner.splits;
  result.queued = result.assembly.handedOn;
  result.plexCalls = ctx.plex.calls - callsBefore;
  await saveCursor(
    prisma,
    connection.id,
    stream,
    { watermark: to, boundaryIds: [] },
    {
      windows: result.windows,
      rows: result.rows,
      changed: result.changed,
      queued: result.queued,
      plexCalls: result.plexCalls,
      splits: result.splits,
      waiting: result.assembly.waiting,
      readsWanted: result.assembly.readsWanted,
    },
  );

  return result;
}

/** Counts add up over a run's windows; what still waits is what the last assembly saw. */
function addAssembly(total: TAssemblyResult, run: TAssemblyResult): void {
  for (const key of Object.keys(total) as (keyof TAssemblyResult)[]) total[key] += run[key];
  total.waiting = run.waiting;
  total.readsWanted = run.readsWanted;
}

/**
 * Shippers that no stored invoice or shipper line ties to an order yet: in small numbers (a
 * regular poll, not a backfill) their lines are read, which name the releases they shipped.
 * In a backfill the invoices link them instead, at no cost.
 */
async function linkShippers(
  ctx: TPollContext,
  shipperIds: string[],
  allowance: ReadAllowance,
  options: TOrderStreamOptions,
): Promise<string[]> {
  if (shipperIds.length === 0 || shipperIds.length > (options.shipperLineReadLimit ?? 25)) {
    return [];
  }
  const read: string[] = [];
  for (const shipperId of shipperIds) {
    if (!allowance.take(1)) break;
    await readShipperLines(ctx, shipperId);
    read.push(shipperId);
  }
  const sql = bulkSql(ctx.prisma);
  const lines = await findByLinks(
    sql,
    ctx.connection.id,
    "shipper_line",
    read.map((id) => tag.shipper(id)!),
  );

  return (await ordersTouched(sql, ctx.connection.id, "shipper_line", lines)).orderIds;
}
