/**
 * Builds the e-commerce picture of pending sales orders from the stored order side and hands
 * the changed ones on to the writer. An order is built once the releases stream has read past
 * its modified date (its releases are in); what the bulk lists cannot supply (order-evidence
 * .planner.ts) is read from Plex within the run's read allowance, for orders that can be sent:
 * not cancelled, and whose customer is in Mailchimp. Orders that need more reads than the
 * allowance leaves wait, pending, for the next run. One run per connection at a time (a
 * Postgres advisory lock), since two would read the same lines twice.
 */
import { bulkSql, type TSqlPool } from "@ml-connector/db";
import { contentHash, isCancelledStatus } from "@ml-connector/mappers";
import type { TPlexSalesOrder } from "@ml-connector/plex-client";

import { readCursor } from "./cursor.store.js";
import { handOnReceived } from "./hand-on.js";
import type { TOrderBundle } from "./order-bundle.js";
import { gatherEvidence, type TGatheredOrder } from "./order-evidence.gatherer.js";
import { planOrder, type TOrderPlan, type TPartIndex } from "./order-evidence.planner.js";
import { readLinePrices, readOrderLines, type ReadAllowance } from "./order-side.reads.js";
import { clearPending, readyOrders } from "./order-side.store.js";
import { ensurePartsPulled, loadPartIndex, pollParts } from "./part-stream.reader.js";
import type { TPollContext } from "./poll.types.js";
import { upsertSourceRecords } from "./record.store.js";

export type TAssemblyResult = {
  orders: number;
  handedOn: number;
  waiting: number;
  linesInferred: number;
  linesRead: number;
  pricesRead: number;
  /** Reads the waiting orders still need (a lines read counts one; their prices come after). */
  readsWanted: number;
};

const BATCH = 500;
/** Advisory-lock class of the assembly (the second key is the connection's hash). */
const LOCK_CLASS = 0x6d6c63;

type TLockClient = TSqlPool & { release(): void };

export async function assembleReadyOrders(
  ctx: TPollContext,
  allowance: ReadAllowance,
): Promise<TAssemblyResult> {
  const result: TAssemblyResult = {
    orders: 0,
    handedOn: 0,
    waiting: 0,
    linesInferred: 0,
    linesRead: 0,
    pricesRead: 0,
    readsWanted: 0,
  };
  const pool = bulkSql(ctx.prisma) as unknown as { connect(): Promise<TLockClient> };
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked",
      [LOCK_CLASS, ctx.connection.id],
    );
    if (rows[0]?.locked !== true) return result;
    try {
      await assemble(ctx, allowance, result);
    } finally {
      await lock.query("SELECT pg_advisory_unlock($1, hashtext($2))", [
        LOCK_CLASS,
        ctx.connection.id,
      ]);
    }
  } finally {
    lock.release();
  }
  result.waiting = allowance.waiting.size;
  result.readsWanted = allowance.readsWanted;
  if (result.orders > 0) {
    ctx.log.info({ connectionId: ctx.connection.id, ...result }, "sales orders assembled");
  }

  return result;
}

/** Orders are built once the releases stream has read past them (unless it is switched off). */
async function releasesReadUntil(ctx: TPollContext): Promise<Date | undefined> {
  if (ctx.connection.schedules.streams.releases?.enabled === false) return undefined;
  const cursor = await readCursor(ctx.prisma, ctx.connection.id, "releases");

  return cursor.watermark ?? new Date(0);
}

async function assemble(ctx: TPollContext, allowance: ReadAllowance, result: TAssemblyResult) {
  const sql = bulkSql(ctx.prisma);
  const connectionId = ctx.connection.id;
  await ensurePartsPulled(ctx);
  const parts = { index: await loadPartIndex(ctx.prisma, connectionId), refreshed: false };
  const readyUntil = await releasesReadUntil(ctx);
  let after: { modifiedAt: Date; externalId: string } | undefined;

  for (;;) {
    // The database's clock, the one that stamps records marked pending meanwhile.
    const startedAt = (await sql.query<{ now: Date }>("SELECT clock_timestamp() AS now")).rows[0]!
      .now;
    const batch = await readyOrders(sql, connectionId, readyUntil, after, BATCH);
    if (batch.length === 0) break;
    const last = batch[batch.length - 1]!;
    after = { modifiedAt: last.modifiedAt ?? new Date(0), externalId: last.externalId };
    const orders = batch
      .filter((record) => !allowance.waiting.has(record.externalId))
      .map((record) => record.data as TPlexSalesOrder);
    if (orders.length === 0) continue;

    const evidence = await gatherEvidence(sql, connectionId, orders);
    let plans = planAll(evidence, parts.index);
    const unknownPart = [...plans.values()].some((plan) =>
      plan.inferenceProblem?.includes("not among the known parts"),
    );
    // A part number never seen may be a part created since the last pull: pull once per run.
    if (unknownPart && !parts.refreshed) {
      await pollParts(ctx);
      parts.index = await loadPartIndex(ctx.prisma, connectionId);
      parts.refreshed = true;
      plans = planAll(evidence, parts.index);
    }

    const synced = await syncedCustomers(sql, connectionId, orders);
    const waiting = new Set<string>();
    for (const order of orders) {
      if (isCancelledStatus(order.status) || !synced.has(String(order.customerId))) continue;
      const start = { plan: plans.get(order.id)!, evidence: evidence.get(order.id)! };
      const completed = await completeWithReads(ctx, order, start, parts.index, allowance, result);
      if (completed === undefined) {
        waiting.add(order.id);
        allowance.waiting.add(order.id);
        continue;
      }
      plans.set(order.id, completed.plan);
      evidence.set(order.id, completed.evidence);
    }

    const ready = orders.filter((order) => !waiting.has(order.id));
    for (const order of ready) {
      if (plans.get(order.id)?.linesSource === "inferred") result.linesInferred += 1;
    }
    result.orders += ready.length;
    result.handedOn += await handOn(ctx, ready, evidence, plans, batch, startedAt);
  }
}

function planAll(evidence: Map<string, TGatheredOrder>, parts: TPartIndex) {
  const plans = new Map<string, TOrderPlan>();
  for (const [orderId, gathered] of evidence) plans.set(orderId, planOrder(gathered, parts));

  return plans;
}

/** Customers with a member in Mailchimp: only their orders can be sent, so only they get reads. */
async function syncedCustomers(sql: TSqlPool, connectionId: string, orders: TPlexSalesOrder[]) {
  const ids = [...new Set(orders.map((order) => String(order.customerId)))];
  const { rows } = await sql.query<{ plex_customer_id: string }>(
    `SELECT DISTINCT plex_customer_id FROM identity_links
     WHERE connection_id = $1 AND plex_customer_id = ANY($2::text[])
       AND subscriber_hash IS NOT NULL AND delivered_at IS NOT NULL`,
    [connectionId, ids],
  );

  return new Set(rows.map((row) => row.plex_customer_id));
}

type TPlanned = { plan: TOrderPlan; evidence: TGatheredOrder };

/**
 * Reads what the plan lacks (lines, then prices), planning again after each read. Returns the
 * final plan, or undefined when the allowance ran out first.
 */
async function completeWithReads(
  ctx: TPollContext,
  order: TPlexSalesOrder,
  start: TPlanned,
  parts: TPartIndex,
  allowance: ReadAllowance,
  result: TAssemblyResult,
): Promise<TPlanned | undefined> {
  let planned = start;
  for (let round = 0; round < 3; round += 1) {
    const { plan } = planned;
    if (plan.lines === undefined) {
      if (!allowance.take(1)) return allowance.wants(1);
      await readOrderLines(ctx, order.id);
      result.linesRead += 1;
    } else if (plan.unpricedLineIds.length > 0) {
      if (!allowance.take(plan.unpricedLineIds.length)) {
        return allowance.wants(plan.unpricedLineIds.length);
      }
      for (const lineId of plan.unpricedLineIds) await readLinePrices(ctx, order.id, lineId);
      result.pricesRead += plan.unpricedLineIds.length;
    } else {
      return planned;
    }
    const sql = bulkSql(ctx.prisma);
    const evidence = (await gatherEvidence(sql, ctx.connection.id, [order])).get(order.id)!;
    planned = { plan: planOrder(evidence, parts), evidence };
  }

  // Plex had no line or price to give: the writer rejects the order and says why.
  return planned;
}

async function handOn(
  ctx: TPollContext,
  orders: TPlexSalesOrder[],
  evidence: Map<string, TGatheredOrder>,
  plans: Map<string, TOrderPlan>,
  batch: { externalId: string; modifiedAt: Date | null }[],
  startedAt: Date,
): Promise<number> {
  if (orders.length === 0) return 0;
  const modified = new Map(batch.map((record) => [record.externalId, record.modifiedAt]));
  const records = orders.map((order) => {
    const gathered = evidence.get(order.id)!;
    const plan = plans.get(order.id)!;
    const bundle: TOrderBundle = {
      order,
      lines: plan.lines ?? [],
      linesSource: plan.linesSource ?? "unknown",
      prices: plan.prices,
      releases: plan.releases,
      shippers: gathered.shippers,
      invoices: gathered.invoices,
      carrierNames: gathered.carrierNames,
    };

    return {
      externalId: order.id,
      parentId: typeof order.customerId === "string" ? order.customerId : null,
      contentHash: contentHash(bundle),
      sourceData: bundle,
      sourceModifiedAt: modified.get(order.id) ?? null,
    };
  });
  const ids = records.map((record) => record.externalId);
  const sql = bulkSql(ctx.prisma);
  await upsertSourceRecords(ctx.prisma, ctx.connection.id, "order", records);
  // A rebuilt order that was refused before is tried again: its cause may be gone.
  await sql.query(
    `UPDATE sync_records SET status = 'received', updated_at = now()
     WHERE connection_id = $1 AND entity = 'order' AND external_id = ANY($2::text[])
       AND status IN ('rejected', 'failed')`,
    [ctx.connection.id, ids],
  );
  const queued = await handOnReceived(ctx.prisma, ctx.connection.id, "order", ids, ctx.enqueue);
  await clearPending(sql, ctx.connection.id, ids, startedAt);

  return queued;
}
