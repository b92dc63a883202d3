/**
 * Writes Plex parts to the connection's store as e-commerce products, each with its one variant
 * (product id = variant id = part id, SKU = part number; mappers' product.mapper.ts). The spec
 * (3.0.55) has no product upsert (reference mailchimp-api.md §4): a product never delivered is
 * created with POST; a known one, or one whose POST answers that it exists (a retry after a
 * lost answer), is changed with PATCH and its variant upserted with PUT. Orders call this for
 * the products they reference before they are sent, since lines must name existing products.
 */
import { bulkSql, withBulkTransaction } from "@ml-connector/db";
import {
  MailchimpApiError,
  createProduct,
  updateProduct,
  upsertVariant,
  type MailchimpClient,
  type TProduct,
} from "@ml-connector/mailchimp-client";
import { mapPartToProduct } from "@ml-connector/mappers";
import type { TPlexPart } from "@ml-connector/plex-client";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import type { TWriteContext } from "./customer.writer.js";
import { loadRecords, markOutcomes, type TOutcome } from "./record.store.js";

export type TProductWriteResult = {
  products: number;
  created: number;
  updated: number;
  rejected: number;
};

const CONCURRENCY = 6;

/** Mailchimp's answer to a POST of an id it already holds (wording unpublished, §4). */
export function saysExists(err: MailchimpApiError): boolean {
  return err.status === 400 && /exist/i.test(`${err.title ?? ""} ${err.detail ?? ""}`);
}

export async function writeProducts(
  ctx: TWriteContext,
  partIds: string[],
): Promise<TProductWriteResult> {
  const { connection, prisma, log } = ctx;
  const storeId = connection.mailchimp.storeId;
  const records = await loadRecords(prisma, connection.id, "product", partIds);
  const known = await deliveredBefore(
    ctx,
    records.map((record) => record.externalId),
  );
  const outcomes: TOutcome[] = [];
  const audit: TAuditEvent[] = [];
  const common = { jobId: ctx.jobId, attempt: ctx.attempt };
  const result: TProductWriteResult = {
    products: records.length,
    created: 0,
    updated: 0,
    rejected: 0,
  };

  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const record = records[next]!;
      next += 1;
      const product = mapPartToProduct(record.sourceData as TPlexPart);
      const refused =
        storeId === null
          ? "the connection has no Mailchimp e-commerce store"
          : product === undefined
            ? "the Plex part has no usable id"
            : undefined;
      if (refused !== undefined || product === undefined || storeId === null) {
        result.rejected += 1;
        outcomes.push({ externalId: record.externalId, status: "rejected", reason: refused });
        audit.push({
          ...common,
          entity: "product",
          externalId: record.externalId,
          stage: "rejected",
          reason: refused,
        });
        continue;
      }
      try {
        const outcome = await upsertProduct(ctx.mailchimp, storeId, product, known.has(product.id));
        result[outcome] += 1;
        outcomes.push({ externalId: record.externalId, status: "delivered" });
        audit.push({
          ...common,
          entity: "product",
          externalId: record.externalId,
          stage: "delivered",
          detail: { outcome },
        });
      } catch (err) {
        if (!(err instanceof MailchimpApiError) || err.retryable) throw err;
        const reason = `Mailchimp refused the product: ${err.message}`;
        result.rejected += 1;
        outcomes.push({ externalId: record.externalId, status: "rejected", reason });
        audit.push({
          ...common,
          entity: "product",
          externalId: record.externalId,
          stage: "rejected",
          reason,
          detail: { status: err.status },
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, records.length) }, worker));

  await withBulkTransaction(prisma, async (sql) => {
    await markOutcomes(sql, connection.id, "product", outcomes);
    await appendAudit(sql, connection.id, audit, log);
  });
  log.info({ connectionId: connection.id, entity: "product", ...result }, "products written");

  return result;
}

async function upsertProduct(
  client: MailchimpClient,
  storeId: string,
  product: TProduct,
  known: boolean,
): Promise<"created" | "updated"> {
  if (!known) {
    try {
      await createProduct(client, storeId, product);

      return "created";
    } catch (err) {
      if (!(err instanceof MailchimpApiError) || !saysExists(err)) throw err;
    }
  }
  const { id, variants, ...fields } = product;
  await updateProduct(client, storeId, id, fields);
  for (const variant of variants) await upsertVariant(client, storeId, id, variant);

  return "updated";
}

async function deliveredBefore(ctx: TWriteContext, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await bulkSql(ctx.prisma).query<{ external_id: string }>(
    `SELECT external_id FROM sync_records
     WHERE connection_id = $1 AND entity = 'product' AND delivered_at IS NOT NULL
       AND external_id = ANY($2::text[])`,
    [ctx.connection.id, ids],
  );

  return new Set(rows.map((row) => row.external_id));
}

/** Of these products, the ones Mailchimp does not hold yet (never delivered). */
export async function productsToDeliver(ctx: TWriteContext, ids: string[]): Promise<string[]> {
  const delivered = await deliveredBefore(ctx, ids);

  return [...new Set(ids)].filter((id) => !delivered.has(id));
}
