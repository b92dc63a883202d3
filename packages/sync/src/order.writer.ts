/**
 * Writes assembled sales orders (order-bundle.ts) to the connection's store: maps each (mappers'
 * mapSalesOrder), refuses what cannot be sent with a reason an operator can act on, makes sure
 * the products its lines name exist, sends only orders whose mapping changed since Mailchimp
 * last accepted them (create or change, order-delivery.ts), records the state, outcome and audit
 * of every order in one transaction, and refreshes the order history of the customers involved.
 * Safe to run twice for the same ids.
 */
import { bulkSql, withBulkTransaction, type TSqlPool } from "@ml-connector/db";
import type { TOrder } from "@ml-connector/mailchimp-client";
import { contentHash, isCancelledStatus, isoDateTime, mapSalesOrder } from "@ml-connector/mappers";
import type { TPlexPart } from "@ml-connector/plex-client";
import type { TSyncEntity } from "@ml-connector/queues";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import { refreshCustomerStats } from "./customer-order-stats.js";
import { maskEmailsIn, type TWriteContext } from "./customer.writer.js";
import type { TOrderBundle } from "./order-bundle.js";
import {
  sendOrdersAsBatch,
  sendOrdersDirectly,
  type TOrderSend,
  type TSendResult,
} from "./order-delivery.js";
import { requestOrderRebuild } from "./order-replay.js";
import { productsToDeliver, writeProducts } from "./product.writer.js";
import { loadRecords, markOutcomes, type TOutcome } from "./record.store.js";

export type TOrderWriteContext = TWriteContext & {
  /** Hands customers whose order history changed back to the customer writer. */
  enqueue: (entity: TSyncEntity, ids: string[]) => Promise<void>;
  /** Orders to send above which a job goes through /batches (default 50). */
  batchThreshold?: number;
};

export type TOrderWriteResult = {
  orders: number;
  sent: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  batchId?: string;
  customersRefreshed: number;
};

type TOrderState = { created: boolean; sentHash: string | null; body: TOrder | null };

/** What the writer decided for one order. */
type TDecision = {
  orderId: string;
  customerId: string | null;
  body: TOrder | null;
  send?: TOrderSend & { hash: string };
  outcome?: TOutcome;
  rejection?: TRefusal;
};

export async function writeOrders(
  ctx: TOrderWriteContext,
  orderIds: string[],
): Promise<TOrderWriteResult> {
  const { connection, prisma, log } = ctx;
  const sql = bulkSql(prisma);
  const storeId = connection.mailchimp.storeId;
  const records = await loadRecords(prisma, connection.id, "order", orderIds);
  const bundles = records.map((record) => record.sourceData as TOrderBundle);
  const states = await loadStates(sql, connection.id, orderIds);
  const partIds = bundles.flatMap((bundle) => bundle.lines.map((line) => String(line.partId)));
  const parts = await loadParts(sql, connection.id, partIds);
  const emails = await customerEmails(sql, connection.id, bundles);

  const decisions = bundles.map((bundle) =>
    decide(bundle, states.get(bundle.order.id), parts, emails, connection.options.currencyCode),
  );
  if (storeId === null) {
    for (const decision of decisions.filter((entry) => entry.send !== undefined)) {
      delete decision.send;
      decision.rejection = rejection("the connection has no e-commerce store");
    }
  }
  await deliverProducts(ctx, decisions);

  const sends = decisions.flatMap((decision) =>
    decision.send === undefined ? [] : [decision.send],
  );
  const result: TOrderWriteResult = {
    orders: records.length,
    sent: sends.length,
    unchanged: 0,
    rejected: 0,
    skipped: 0,
    customersRefreshed: 0,
  };
  let answers: TSendResult[] = [];
  if (sends.length > 0 && storeId !== null) {
    if (sends.length > (ctx.batchThreshold ?? 50)) {
      result.batchId = await sendOrdersAsBatch(ctx.mailchimp, storeId, sends);
      await ctx.collectBatch(result.batchId);
      log.info(
        { connectionId: connection.id, batchId: result.batchId, operations: sends.length },
        "mailchimp order batch submitted",
      );
    } else {
      answers = await sendOrdersDirectly(ctx.mailchimp, storeId, sends);
    }
  }

  const { outcomes, audit, states: newStates } = summarise(ctx, decisions, answers, result);
  await withBulkTransaction(prisma, async (tx) => {
    await saveStates(tx, connection.id, newStates);
    await markOutcomes(tx, connection.id, "order", outcomes);
    await appendAudit(tx, connection.id, audit, log);
  });
  result.customersRefreshed = await refreshCustomerStats(
    { prisma, connectionId: connection.id, enqueue: ctx.enqueue },
    decisions.map((decision) => decision.customerId).filter((id): id is string => id !== null),
  );
  log.info({ connectionId: connection.id, entity: "order", ...result }, "orders written");
  if (ctx.replay === true) {
    const rebuild = decisions.filter((d) => REBUILT_ON_REPLAY.has(d.rejection?.code ?? ""));
    await requestOrderRebuild(
      prisma,
      connection.id,
      rebuild.map((decision) => decision.orderId),
    );
  }

  const failed = answers.filter((answer) => answer.outcome === "failed");
  if (failed.length > 0) {
    // Recorded above; the job is retried and re-sends only what Mailchimp did not accept.
    throw new Error(
      `${failed.length} orders hit a temporary Mailchimp error: ${failed[0]!.reason}`,
    );
  }

  return result;
}

/** Why an order is not sent; the code starts the stored reason, so it can be found again. */
type TRefusal = { code: string; reason: string };

function rejection(reason: string, code = "NO_STORE"): TRefusal {
  return { code, reason };
}

/** Refusals whose cause lies in what the assembler read: a replay rebuilds the order. */
const REBUILT_ON_REPLAY = new Set([
  "NO_LINES",
  "PART_UNKNOWN",
  "PRICE_MISSING",
  "QUANTITY_MISSING",
]);

function decide(
  bundle: TOrderBundle,
  state: TOrderState | undefined,
  parts: Map<string, TPlexPart>,
  emails: Map<string, string>,
  defaultCurrency: string,
): TDecision {
  const { order } = bundle;
  const customerId = typeof order.customerId === "string" ? order.customerId : null;
  const email = customerId === null ? undefined : emails.get(customerId);
  const created = state?.created === true;
  const cancelled =
    isCancelledStatus(order.status) ||
    (bundle.releases.length > 0 && bundle.releases.every((r) => isCancelledStatus(r.status)));

  if (cancelled) {
    if (!created) return { orderId: order.id, customerId, body: null, outcome: skip(order.id) };
    // Mailchimp holds it: tell it the order is cancelled, whatever its lines were.
    const at = isoDateTime(order.modifiedDate) ?? new Date().toISOString();
    const patchOnly = {
      financial_status: "cancelled",
      fulfillment_status: "cancelled",
      cancelled_at_foreign: at,
    };
    const hash = contentHash({ cancelled: patchOnly });

    return state?.sentHash === hash
      ? { orderId: order.id, customerId, body: null, outcome: delivered(order.id) }
      : {
          orderId: order.id,
          customerId,
          body: null,
          send: { order: state?.body ?? emptyOrder(order.id), created, patchOnly, hash },
        };
  }

  const source = { ...bundle, shipperLines: [], partsById: parts, customerMemberEmail: email };
  const mapping = mapSalesOrder(source, { defaultCurrency, forStatistics: email === undefined });
  if (email === undefined) {
    // Mapped for the customer's order history only; the assembler spent no reads on it, so a
    // missing price here says nothing yet.
    return {
      orderId: order.id,
      customerId,
      body: mapping.order ?? null,
      rejection: rejection(
        `order ${order.orderNumber ?? order.id} belongs to customer ${customerId ?? "(none)"}, ` +
          "which has no member in Mailchimp yet; it is sent once the customer is synced",
        "CUSTOMER_NOT_SYNCED",
      ),
    };
  }
  if (mapping.order === undefined) {
    // A refused order no longer counts in the history, unless Mailchimp still holds it.
    return {
      orderId: order.id,
      customerId,
      body: created ? (state?.body ?? null) : null,
      rejection: mapping.rejection,
    };
  }
  const hash = contentHash(mapping.order);
  if (created && state?.sentHash === hash) {
    return { orderId: order.id, customerId, body: mapping.order, outcome: delivered(order.id) };
  }

  return {
    orderId: order.id,
    customerId,
    body: mapping.order,
    send: { order: mapping.order, created, customerEmail: email, hash },
  };
}

const delivered = (externalId: string): TOutcome => ({ externalId, status: "delivered" });
const skip = (externalId: string): TOutcome => ({
  externalId,
  status: "delivered",
  reason: "cancelled in Plex before it reached Mailchimp: nothing to send",
});
const emptyOrder = (id: string): TOrder => ({
  id,
  customer: { id: "" },
  currency_code: "USD",
  order_total: 0,
  lines: [],
});

/** Products the orders name and Mailchimp does not hold yet are written first (§4). */
async function deliverProducts(ctx: TOrderWriteContext, decisions: TDecision[]): Promise<void> {
  const named = decisions.flatMap((decision) =>
    decision.send?.patchOnly === undefined
      ? (decision.send?.order.lines.map((line) => line.product_id) ?? [])
      : [],
  );
  const missing = await productsToDeliver(ctx, named);
  if (missing.length === 0) return;
  await writeProducts(ctx, missing);
  const stillMissing = new Set(await productsToDeliver(ctx, missing));
  for (const decision of decisions) {
    const lacking = decision.send?.order.lines.find((line) => stillMissing.has(line.product_id));
    if (decision.send === undefined || lacking === undefined) continue;
    delete decision.send;
    decision.rejection = rejection(
      `product ${lacking.product_id} could not be created in Mailchimp (see its audit trail)`,
      "PART_UNKNOWN",
    );
  }
}

function summarise(
  ctx: TOrderWriteContext,
  decisions: TDecision[],
  answers: TSendResult[],
  result: TOrderWriteResult,
) {
  const byOrder = new Map(answers.map((answer) => [answer.orderId, answer]));
  const outcomes: TOutcome[] = [];
  const audit: TAuditEvent[] = [];
  const states: TNewState[] = [];
  const common = { jobId: ctx.jobId, attempt: ctx.attempt };
  const stage = ctx.replay === true ? "replayed" : "mapped";

  for (const decision of decisions) {
    const { orderId, send } = decision;
    audit.push({ ...common, entity: "order", externalId: orderId, stage });
    const state: TNewState = { orderId, customerId: decision.customerId, body: decision.body };
    states.push(state);
    if (decision.rejection !== undefined) {
      const reason = `${decision.rejection.code}: ${maskEmailsIn(decision.rejection.reason)}`;
      result.rejected += 1;
      outcomes.push({ externalId: orderId, status: "rejected", reason });
      audit.push({
        ...common,
        entity: "order",
        externalId: orderId,
        stage: "rejected",
        reason,
        detail: { code: decision.rejection.code },
      });
      continue;
    }
    if (send === undefined) {
      if (decision.outcome?.reason === undefined) result.unchanged += 1;
      else result.skipped += 1;
      outcomes.push(decision.outcome!);
      continue;
    }
    const answer = byOrder.get(orderId);
    if (answer === undefined) {
      // In a /batches job: recorded as sent; the collector corrects what Mailchimp refused.
      Object.assign(state, { sentHash: send.hash, batchId: result.batchId ?? null });
      outcomes.push({ externalId: orderId, status: "delivered" });
      audit.push({
        ...common,
        entity: "order",
        externalId: orderId,
        stage: "delivered",
        detail: { batchId: result.batchId ?? "", operation: send.created ? "update" : "create" },
      });
    } else if (answer.outcome === "created" || answer.outcome === "updated") {
      Object.assign(state, { created: true, sentHash: send.hash, batchId: null });
      outcomes.push({ externalId: orderId, status: "delivered" });
      audit.push({
        ...common,
        entity: "order",
        externalId: orderId,
        stage: "delivered",
        detail: {
          outcome: answer.outcome,
          total: send.order.order_total,
          financial: send.patchOnly?.financial_status ?? send.order.financial_status ?? "",
          fulfillment: send.patchOnly?.fulfillment_status ?? send.order.fulfillment_status ?? "",
        },
      });
    } else if (answer.outcome === "failed" || answer.outcome === "rejected") {
      const status = answer.outcome;
      const reason = maskEmailsIn(answer.reason);
      if (status === "rejected") result.rejected += 1;
      outcomes.push({ externalId: orderId, status, reason });
      audit.push({ ...common, entity: "order", externalId: orderId, stage: status, reason });
    }
  }

  return { outcomes, audit, states };
}

type TNewState = {
  orderId: string;
  customerId: string | null;
  body: TOrder | null;
  created?: boolean;
  sentHash?: string;
  batchId?: string | null;
};

async function loadStates(sql: TSqlPool, connectionId: string, orderIds: string[]) {
  const { rows } = await sql.query<{
    order_id: string;
    created: boolean;
    sent_hash: string | null;
    body: TOrder | null;
  }>(
    `SELECT order_id, created, sent_hash, body FROM ecommerce_orders
     WHERE connection_id = $1 AND order_id = ANY($2::text[])`,
    [connectionId, orderIds],
  );

  return new Map<string, TOrderState>(
    rows.map((row) => [
      row.order_id,
      { created: row.created, sentHash: row.sent_hash, body: row.body },
    ]),
  );
}

/** Body always; created, sent hash and batch only where this write decided them. */
async function saveStates(sql: TSqlPool, connectionId: string, states: TNewState[]) {
  if (states.length === 0) return;
  const document = JSON.stringify(
    [...states]
      .sort((a, b) => (a.orderId < b.orderId ? -1 : 1))
      .map((state) => ({
        order_id: state.orderId,
        customer_id: state.customerId,
        created: state.created ?? null,
        sent_hash: state.sentHash ?? null,
        body: state.body,
        batch_id: state.batchId ?? null,
      })),
  );
  await sql.query(
    `INSERT INTO ecommerce_orders (connection_id, order_id)
     SELECT $1, state.order_id FROM jsonb_to_recordset($2::jsonb) AS state (order_id text)
     ON CONFLICT DO NOTHING`,
    [connectionId, document],
  );
  await sql.query(
    `UPDATE ecommerce_orders AS target SET
       plex_customer_id = state.customer_id,
       body = state.body,
       created = coalesce(state.created, target.created),
       sent_hash = coalesce(state.sent_hash, target.sent_hash),
       batch_id = CASE WHEN state.sent_hash IS NULL THEN target.batch_id ELSE state.batch_id END,
       sent_at = CASE WHEN state.sent_hash IS NULL THEN target.sent_at ELSE now() END,
       updated_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS state (order_id text, customer_id text,
       created boolean, sent_hash text, body jsonb, batch_id text)
     WHERE target.connection_id = $1 AND target.order_id = state.order_id`,
    [connectionId, document],
  );
}

async function loadParts(sql: TSqlPool, connectionId: string, partIds: string[]) {
  const { rows } = await sql.query<{ source_data: TPlexPart }>(
    `SELECT source_data FROM sync_records
     WHERE connection_id = $1 AND entity = 'product' AND external_id = ANY($2::text[])`,
    [connectionId, [...new Set(partIds)]],
  );

  return new Map(rows.map((row) => [row.source_data.id, row.source_data]));
}

/**
 * The e-mail each customer is known by in Mailchimp: its own member, else its first contact's
 * (the same choice the e-commerce customer mapping makes).
 */
async function customerEmails(sql: TSqlPool, connectionId: string, bundles: TOrderBundle[]) {
  const ids = [...new Set(bundles.map((bundle) => String(bundle.order.customerId)))];
  const { rows } = await sql.query<{ plex_customer_id: string; email: string }>(
    `SELECT DISTINCT ON (plex_customer_id) plex_customer_id, email FROM identity_links
     WHERE connection_id = $1 AND plex_customer_id = ANY($2::text[]) AND email IS NOT NULL
       AND subscriber_hash IS NOT NULL AND delivered_at IS NOT NULL
     ORDER BY plex_customer_id, plex_contact_id NULLS FIRST`,
    [connectionId, ids],
  );

  return new Map(rows.map((row) => [row.plex_customer_id, row.email]));
}
