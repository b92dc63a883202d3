/**
 * Sends e-commerce orders. Mailchimp has no order upsert (reference mailchimp-api.md §4): an
 * order it does not hold is created with POST, one it holds is changed with PATCH. A POST that
 * answers that the order exists — the retry of a send whose answer was lost — becomes a PATCH,
 * so a job redone after a crash has no duplicate effect. Few orders go out one call each; many
 * go as one /batches job (200 operations a second per account in the latency model, and no
 * share of the 10-connection cap), whose results order-batch.collector.ts reads.
 */
import {
  MailchimpApiError,
  createBatch,
  createOrder,
  getOrder,
  updateOrder,
  type MailchimpClient,
  type TBatchOperation,
  type TOrder,
} from "@ml-connector/mailchimp-client";

import { saysExists } from "./product.writer.js";

export type TOrderSend = {
  order: TOrder;
  /** Mailchimp holds the order already: PATCH. */
  created: boolean;
  /** The customer's member e-mail, so a POST can create a missing e-commerce customer. */
  customerEmail?: string;
  /** Only these fields are sent (a cancellation of an order whose lines are not known). */
  patchOnly?: Partial<TOrder>;
};

export type TSendResult =
  | { orderId: string; outcome: "created" | "updated" }
  | { orderId: string; outcome: "rejected"; reason: string; status: number }
  | { orderId: string; outcome: "failed"; reason: string };

const CONCURRENCY = 8;

const postPath = (storeId: string) => `/ecommerce/stores/${encodeURIComponent(storeId)}/orders`;
const orderPath = (storeId: string, orderId: string) =>
  `${postPath(storeId)}/${encodeURIComponent(orderId)}`;

export function createBody(send: TOrderSend): TOrder {
  const customer =
    send.customerEmail === undefined
      ? send.order.customer
      : // opt_in_status false never unsubscribes; the member write owns consent (§4).
        { ...send.order.customer, email_address: send.customerEmail, opt_in_status: false };

  return { ...send.order, customer };
}

export function patchBody(send: TOrderSend): Partial<TOrder> {
  if (send.patchOnly !== undefined) return send.patchOnly;
  const { id: _id, customer: _customer, ...fields } = send.order;

  return fields;
}

/** One call per order (POST, or PATCH), a few in flight; the connection cap bounds them. */
export async function sendOrdersDirectly(
  client: MailchimpClient,
  storeId: string,
  sends: TOrderSend[],
): Promise<TSendResult[]> {
  const results: TSendResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sends.length) {
      const send = sends[next]!;
      next += 1;
      results.push(await sendOne(client, storeId, send));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, sends.length) }, worker));

  return results;
}

async function sendOne(
  client: MailchimpClient,
  storeId: string,
  send: TOrderSend,
): Promise<TSendResult> {
  const orderId = send.order.id;
  try {
    if (!send.created && send.patchOnly === undefined) {
      try {
        await createOrder(client, storeId, createBody(send));

        return { orderId, outcome: "created" };
      } catch (err) {
        if (!(err instanceof MailchimpApiError) || err.status !== 400) throw err;
        if (!saysExists(err) && !(await exists(client, storeId, orderId))) throw err;
      }
    }
    await updateOrder(client, storeId, orderId, patchBody(send));

    return { orderId, outcome: "updated" };
  } catch (err) {
    if (!(err instanceof MailchimpApiError)) throw err;
    if (err.retryable) return { orderId, outcome: "failed", reason: err.message };

    return { orderId, outcome: "rejected", reason: err.message, status: err.status };
  }
}

async function exists(client: MailchimpClient, storeId: string, orderId: string) {
  try {
    await getOrder(client, storeId, orderId);

    return true;
  } catch (err) {
    if (err instanceof MailchimpApiError && err.status === 404) return false;
    throw err;
  }
}

/** Operation ids say what was sent, so the collector knows a refused POST from a PATCH. */
export const OPERATION = { create: "order-create-", update: "order-update-" } as const;

/** All sends as one /batches job; returns its id. */
export async function sendOrdersAsBatch(
  client: MailchimpClient,
  storeId: string,
  sends: TOrderSend[],
): Promise<string> {
  const operations: TBatchOperation[] = sends.map((send) =>
    !send.created && send.patchOnly === undefined
      ? {
          method: "POST",
          path: postPath(storeId),
          operation_id: `${OPERATION.create}${send.order.id}`,
          body: JSON.stringify(createBody(send)),
        }
      : {
          method: "PATCH",
          path: orderPath(storeId, send.order.id),
          operation_id: `${OPERATION.update}${send.order.id}`,
          body: JSON.stringify(patchBody(send)),
        },
  );
  const batch = await createBatch(client, operations);

  return batch.id;
}
