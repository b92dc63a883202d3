/**
 * Each customer's order history (count, first and last order, revenue, product categories, last
 * shipment: mappers' computeCustomerOrderStats), kept in customer_order_stats and recomputed from
 * the customer's mapped orders whenever one of them changes. When the history changes, a
 * delivered customer is handed back to the customer writer, which maps it into the member's
 * merge fields and tags. Recomputation locks the customers' rows first, so two writers that
 * each changed one of a customer's orders cannot leave the older result behind.
 */
import { withBulkTransaction, type TPrisma, type TSqlPool } from "@ml-connector/db";
import type { TOrder } from "@ml-connector/mailchimp-client";
import {
  computeCustomerOrderStats,
  contentHash,
  mapPartToProduct,
  type TCustomerOrderStats,
} from "@ml-connector/mappers";
import type { TPlexPart, TPlexShipper } from "@ml-connector/plex-client";
import type { TSyncEntity } from "@ml-connector/queues";

import { handOnReceived } from "./hand-on.js";
import { tag } from "./order-links.js";

export type TStatsContext = {
  prisma: TPrisma;
  connectionId: string;
  enqueue: (entity: TSyncEntity, ids: string[]) => Promise<void>;
};

/** Recomputes the customers' histories; returns the customers handed on because theirs changed. */
export async function refreshCustomerStats(
  ctx: TStatsContext,
  customerIds: string[],
): Promise<number> {
  const ids = [...new Set(customerIds)].sort();
  if (ids.length === 0) return 0;
  const changed = await withBulkTransaction(ctx.prisma, async (sql) => {
    await sql.query(
      `INSERT INTO customer_order_stats (connection_id, plex_customer_id, stats, stats_hash)
       SELECT $1, id, '{}', '' FROM unnest($2::text[]) AS id ORDER BY id
       ON CONFLICT DO NOTHING`,
      [ctx.connectionId, ids],
    );
    const locked = await sql.query<{ plex_customer_id: string; stats_hash: string }>(
      `SELECT plex_customer_id, stats_hash FROM customer_order_stats
       WHERE connection_id = $1 AND plex_customer_id = ANY($2::text[])
       ORDER BY plex_customer_id FOR UPDATE`,
      [ctx.connectionId, ids],
    );
    const previous = new Map(locked.rows.map((row) => [row.plex_customer_id, row.stats_hash]));
    const stats = await computeStats(sql, ctx.connectionId, ids);
    const updates = ids
      .map((id) => ({ id, stats: stats.get(id)!, hash: contentHash(stats.get(id)) }))
      .filter((update) => previous.get(update.id) !== update.hash);
    if (updates.length > 0) {
      await sql.query(
        `UPDATE customer_order_stats AS target
         SET stats = incoming.stats, stats_hash = incoming.hash, updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS incoming (id text, stats jsonb, hash text)
         WHERE target.connection_id = $1 AND target.plex_customer_id = incoming.id`,
        [ctx.connectionId, JSON.stringify(updates)],
      );
    }

    return updates.map((update) => update.id);
  });
  if (changed.length === 0) return 0;

  // Delivered customers go back to the customer writer; the others pick the history up when
  // they are written (customer.writer.ts reads it).
  const { rows } = await withBulkTransaction(ctx.prisma, (sql) =>
    sql.query<{ external_id: string }>(
      `UPDATE sync_records SET status = 'received', updated_at = now()
       WHERE connection_id = $1 AND entity = 'customer' AND status = 'delivered'
         AND external_id = ANY($2::text[])
       RETURNING external_id`,
      [ctx.connectionId, changed],
    ),
  );

  return handOnReceived(
    ctx.prisma,
    ctx.connectionId,
    "customer",
    rows.map((row) => row.external_id),
    ctx.enqueue,
  );
}

async function computeStats(
  sql: TSqlPool,
  connectionId: string,
  customerIds: string[],
): Promise<Map<string, TCustomerOrderStats>> {
  const orders = await sql.query<{ plex_customer_id: string; body: TOrder }>(
    `SELECT plex_customer_id, body FROM ecommerce_orders
     WHERE connection_id = $1 AND plex_customer_id = ANY($2::text[]) AND body IS NOT NULL`,
    [connectionId, customerIds],
  );
  const productIds = [
    ...new Set(orders.rows.flatMap((row) => row.body.lines.map((line) => line.product_id))),
  ];
  const parts = await sql.query<{ source_data: TPlexPart }>(
    `SELECT source_data FROM sync_records
     WHERE connection_id = $1 AND entity = 'product' AND external_id = ANY($2::text[])`,
    [connectionId, productIds],
  );
  const products = parts.rows.flatMap((row) => mapPartToProduct(row.source_data) ?? []);
  const shippers = await sql.query<{ data: TPlexShipper }>(
    `SELECT data FROM plex_order_records
     WHERE links && $2::text[] AND connection_id = $1 AND kind = 'shipper'`,
    [connectionId, customerIds.map((id) => tag.customer(id)!)],
  );

  const stats = new Map<string, TCustomerOrderStats>();
  for (const customerId of customerIds) {
    stats.set(
      customerId,
      computeCustomerOrderStats({
        orders: orders.rows
          .filter((row) => row.plex_customer_id === customerId)
          .map((row) => row.body),
        products,
        shippers: shippers.rows
          .map((row) => row.data)
          .filter((shipper) => shipper.customerId === customerId),
      }),
    );
  }

  return stats;
}

/** The stored histories of these customers (read by the customer writer). */
export async function loadCustomerStats(
  sql: TSqlPool,
  connectionId: string,
  customerIds: string[],
): Promise<Map<string, TCustomerOrderStats>> {
  if (customerIds.length === 0) return new Map();
  const { rows } = await sql.query<{ plex_customer_id: string; stats: TCustomerOrderStats }>(
    `SELECT plex_customer_id, stats FROM customer_order_stats
     WHERE connection_id = $1 AND plex_customer_id = ANY($2::text[]) AND stats_hash <> ''`,
    [connectionId, customerIds],
  );

  return new Map(rows.map((row) => [row.plex_customer_id, row.stats]));
}
