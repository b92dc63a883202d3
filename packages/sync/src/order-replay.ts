/**
 * Orders refused for a cause that can go away are rebuilt when it does: an order whose customer
 * had no member yet, once the customer has one (checked at the start of every order-side poll);
 * an order an operator replays. Rebuilding goes through the assembler, not straight to the
 * writer, because the cause may have kept the assembler from reading the order's lines or prices.
 */
import { bulkSql, type TPrisma } from "@ml-connector/db";

import type { TPollContext } from "./poll.types.js";

/** Rejection reasons start with their code, so refused orders are found again by it. */
export const CUSTOMER_NOT_SYNCED_PREFIX = "CUSTOMER_NOT_SYNCED:";

export async function rebuildOrdersOfSyncedCustomers(ctx: TPollContext): Promise<number> {
  const { rowCount } = await bulkSql(ctx.prisma).query(
    `UPDATE plex_order_records SET pending = true, updated_at = now()
     WHERE connection_id = $1 AND kind = 'order' AND NOT pending AND external_id IN (
       SELECT record.external_id FROM sync_records AS record
       WHERE record.connection_id = $1 AND record.entity = 'order'
         AND record.status = 'rejected' AND record.reason LIKE $2
         AND EXISTS (
           SELECT 1 FROM identity_links AS link
           WHERE link.connection_id = $1 AND link.plex_customer_id = record.parent_id
             AND link.subscriber_hash IS NOT NULL AND link.delivered_at IS NOT NULL))`,
    [ctx.connection.id, `${CUSTOMER_NOT_SYNCED_PREFIX}%`],
  );
  if ((rowCount ?? 0) > 0) {
    ctx.log.info(
      { connectionId: ctx.connection.id, orders: rowCount },
      "orders of newly synced customers rebuilt",
    );
  }

  return rowCount ?? 0;
}

/** Marks orders for rebuilding by the next order-side poll (an operator's replay). */
export async function requestOrderRebuild(
  prisma: TPrisma,
  connectionId: string,
  orderIds: string[],
): Promise<number> {
  if (orderIds.length === 0) return 0;
  const { rowCount } = await bulkSql(prisma).query(
    `UPDATE plex_order_records SET pending = true, updated_at = now()
     WHERE connection_id = $1 AND kind = 'order' AND external_id = ANY($2::text[])`,
    [connectionId, [...new Set(orderIds)].sort()],
  );

  return rowCount ?? 0;
}
