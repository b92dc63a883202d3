/**
 * Reads the results of an order /batches job (order-delivery.ts) back into the orders' state:
 * a created or changed order is held by Mailchimp from now on; a POST answered "exists" (a
 * re-send after a lost answer) marks the order held and sends it again as a PATCH; a refusal
 * is recorded with Mailchimp's reason; a temporary error sends the order again. The writer
 * recorded every order of the job as sent when it submitted it; this corrects what failed.
 */
import type { TConnectionView } from "@ml-connector/connections";
import { withBulkTransaction, type TPrisma, type TSqlPool } from "@ml-connector/db";
import { getBatch, readBatchResults, type MailchimpClient } from "@ml-connector/mailchimp-client";
import type { TSyncEntity } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import type { TBatchCollection } from "./batch-collector.js";
import { maskEmailsIn } from "./customer.writer.js";
import { OPERATION } from "./order-delivery.js";
import { handOnReceived } from "./hand-on.js";
import { markOutcomes, type TOutcome } from "./record.store.js";

export type TOrderBatchContext = {
  connection: TConnectionView;
  mailchimp: MailchimpClient;
  prisma: TPrisma;
  log: Logger;
  enqueue: (entity: TSyncEntity, ids: string[]) => Promise<void>;
};

function problemText(response: unknown): string {
  if (typeof response !== "object" || response === null) return "Mailchimp refused the operation";
  const body = response as { title?: unknown; detail?: unknown };
  const text = [body.title, body.detail].filter((part) => typeof part === "string").join(": ");

  return maskEmailsIn(text === "" ? "Mailchimp refused the operation" : text);
}

export async function collectOrderBatch(
  ctx: TOrderBatchContext,
  batchId: string,
): Promise<TBatchCollection> {
  const status = await getBatch(ctx.mailchimp, batchId);
  if (status.status !== "finished" || status.response_body_url === undefined) {
    return {
      state: "pending",
      finished: status.finished_operations,
      total: status.total_operations,
    };
  }

  const held: string[] = [];
  const again: string[] = [];
  const outcomes: TOutcome[] = [];
  const audit: TAuditEvent[] = [];
  for (const result of await readBatchResults(status.response_body_url)) {
    const create = result.operationId.startsWith(OPERATION.create);
    const orderId = result.operationId.slice((create ? OPERATION.create : OPERATION.update).length);
    if (result.statusCode < 300) {
      held.push(orderId);
      audit.push({
        entity: "order",
        externalId: orderId,
        stage: "delivered",
        detail: { batchId, status: result.statusCode },
      });
      continue;
    }
    const reason = problemText(result.response);
    if (create && result.statusCode === 400 && /exist/i.test(reason)) {
      held.push(orderId);
      again.push(orderId);
      continue;
    }
    if (result.statusCode === 429 || result.statusCode >= 500) {
      again.push(orderId);
      audit.push({
        entity: "order",
        externalId: orderId,
        stage: "failed",
        reason,
        detail: { batchId, status: result.statusCode },
      });
      continue;
    }
    outcomes.push({
      externalId: orderId,
      status: "rejected",
      reason: `MAILCHIMP_REFUSED: ${reason}`,
    });
    audit.push({
      entity: "order",
      externalId: orderId,
      stage: "rejected",
      reason,
      detail: { batchId, status: result.statusCode },
    });
  }

  await withBulkTransaction(ctx.prisma, async (sql) => {
    await markHeld(sql, ctx.connection.id, batchId, held);
    await forgetSend(sql, ctx.connection.id, [...again, ...outcomes.map((o) => o.externalId)]);
    await markOutcomes(sql, ctx.connection.id, "order", outcomes);
    await sql.query(
      `UPDATE sync_records SET status = 'received', updated_at = now()
       WHERE connection_id = $1 AND entity = 'order' AND external_id = ANY($2::text[])`,
      [ctx.connection.id, again],
    );
    await appendAudit(sql, ctx.connection.id, audit, ctx.log);
  });
  await handOnReceived(ctx.prisma, ctx.connection.id, "order", again, ctx.enqueue);
  ctx.log.info(
    {
      connectionId: ctx.connection.id,
      batchId,
      held: held.length,
      resent: again.length,
      refused: outcomes.length,
    },
    "mailchimp order batch collected",
  );

  return { state: "collected", succeeded: held.length, failed: outcomes.length };
}

async function markHeld(sql: TSqlPool, connectionId: string, batchId: string, orderIds: string[]) {
  await sql.query(
    `UPDATE ecommerce_orders SET created = true,
       batch_id = CASE WHEN batch_id = $3 THEN NULL ELSE batch_id END, updated_at = now()
     WHERE connection_id = $1 AND order_id = ANY($2::text[])`,
    [connectionId, [...orderIds].sort(), batchId],
  );
}

/** The send did not take: without a sent hash, the next write sends the order again. */
async function forgetSend(sql: TSqlPool, connectionId: string, orderIds: string[]) {
  await sql.query(
    `UPDATE ecommerce_orders SET sent_hash = NULL, batch_id = NULL, updated_at = now()
     WHERE connection_id = $1 AND order_id = ANY($2::text[])`,
    [connectionId, [...orderIds].sort()],
  );
}
