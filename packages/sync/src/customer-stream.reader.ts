/**
 * The customers stream: Plex customers modified since the cursor, read through adaptive date
 * windows (GET /mdm/v1/customers?modifiedDateBegin&modifiedDateEnd), stored with a content hash,
 * and handed on to the writer. Addresses are a per-customer sub-resource (one Plex call each), so
 * they are fetched only for the customers that changed, and only while the number of changed
 * customers in a window is small; a backfill maps customers without them first.
 */
import { contentHash } from "@ml-connector/mappers";
import { ZPlexAddress, ZPlexCustomer, type TPlexAddress } from "@ml-connector/plex-client";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import { readCursor, saveCursor } from "./cursor.store.js";
import { handOnReceived } from "./hand-on.js";
import {
  BACKFILL_START,
  WINDOW_OVERLAP_MS,
  WINDOW_SETTLE_MS,
  type TPollContext,
  type TPollResult,
} from "./poll.types.js";
import { upsertSourceRecords, type TSourceRecord } from "./record.store.js";
import { WindowPlanner } from "./window.planner.js";

export type TCustomerStreamOptions = {
  maxRowsPerWindow?: number;
  /** Changed customers in one window up to which addresses are fetched (one call each). */
  addressFetchLimit?: number;
};

/** What a stored customer record holds: the customer and, once fetched, its addresses. */
export type TCustomerSourceData = {
  customer: Record<string, unknown>;
  addresses?: TPlexAddress[];
};

export async function pollCustomers(
  ctx: TPollContext,
  options: TCustomerStreamOptions = {},
): Promise<TPollResult> {
  const { connection, prisma, log } = ctx;
  const callsBefore = ctx.plex.calls;
  const cursor = await readCursor(prisma, connection.id, "customers");
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
    maxRows: options.maxRowsPerWindow ?? 5_000,
  });
  const result: TPollResult = {
    windows: 0,
    rows: 0,
    changed: 0,
    rejected: 0,
    queued: 0,
    plexCalls: 0,
  };

  for (let window = planner.next(); window !== undefined; window = planner.next()) {
    const rows = await ctx.plex.list("/mdm/v1/customers", {
      query: { modifiedDateBegin: window.start, modifiedDateEnd: window.end },
      signal: ctx.signal,
    });
    if (planner.report(window, rows.length) === "split") continue;
    result.windows += 1;
    result.rows += rows.length;

    const records: TSourceRecord[] = [];
    const audit: TAuditEvent[] = [];
    for (const row of rows) {
      const parsed = ZPlexCustomer.safeParse(row);
      if (!parsed.success) {
        result.rejected += 1;
        const id =
          typeof (row as { id?: unknown }).id === "string" ? (row as { id: string }).id : "(no id)";
        audit.push({
          entity: "customer",
          externalId: id,
          stage: "rejected",
          reason: "Plex sent a customer record without a usable id or with malformed fields",
        });
        continue;
      }
      const customer = parsed.data;
      records.push({
        externalId: customer.id,
        contentHash: contentHash({ customer }),
        sourceData: { customer } satisfies TCustomerSourceData,
        sourceModifiedAt: customer.modifiedDate ? new Date(customer.modifiedDate) : null,
      });
    }

    const changed = await upsertSourceRecords(prisma, connection.id, "customer", records);
    result.changed += changed.length;
    if (changed.length > 0 && changed.length <= (options.addressFetchLimit ?? 50)) {
      await attachAddresses(ctx, changed);
    }
    for (const id of changed)
      audit.push({ entity: "customer", externalId: id, stage: "received", jobId: ctx.jobId });
    await appendAudit(prisma, connection.id, audit, log);

    result.queued += await handOnReceived(
      prisma,
      connection.id,
      "customer",
      records.map((record) => record.externalId),
      ctx.enqueue,
    );
    log.info(
      {
        connectionId: connection.id,
        stream: "customers",
        window,
        rows: rows.length,
        changed: changed.length,
      },
      "plex window read",
    );
  }

  result.plexCalls = ctx.plex.calls - callsBefore;
  await saveCursor(
    prisma,
    connection.id,
    "customers",
    { watermark: to, boundaryIds: [] },
    {
      ...result,
      splits: planner.splits,
    },
  );

  return result;
}

/** Fetches each changed customer's addresses and stores them in its source data. */
async function attachAddresses(ctx: TPollContext, customerIds: string[]): Promise<void> {
  for (const customerId of customerIds) {
    const rows = await ctx.plex.list("/mdm/v1/customers/{customerId}/addresses", {
      pathParams: { customerId },
      signal: ctx.signal,
    });
    const addresses = rows.flatMap((row) => {
      const parsed = ZPlexAddress.safeParse(row);

      return parsed.success ? [parsed.data] : [];
    });
    await ctx.prisma.$executeRaw`
      UPDATE sync_records
      SET source_data = jsonb_set(source_data, '{addresses}', ${JSON.stringify(addresses)}::jsonb)
      WHERE connection_id = ${ctx.connection.id} AND entity = 'customer'
        AND external_id = ${customerId}`;
  }
}
