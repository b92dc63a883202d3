/**
 * The parts stream. Plex publishes no date filter on parts (reference plex-api.md §2.5), so they
 * are pulled in full (one call) on a slow schedule, diffed by content hash, and the changed ones
 * handed on as e-commerce products. The stored parts are the cache the order assembler uses to
 * turn a release's part number into a part; orders that waited for an unknown part are
 * rebuilt once new parts arrive.
 */
import { bulkSql, type TPrisma } from "@ml-connector/db";
import { contentHash } from "@ml-connector/mappers";
import { ZPlexPart, type TPlexPart } from "@ml-connector/plex-client";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import { readCursor, saveCursor } from "./cursor.store.js";
import { handOnReceived } from "./hand-on.js";
import type { TPartIndex } from "./order-evidence.planner.js";
import type { TPollContext, TPollResult } from "./poll.types.js";
import { upsertSourceRecords, type TSourceRecord } from "./record.store.js";

/** Rejection reasons start with their code, so waiting orders are found again by it. */
export const PART_UNKNOWN_PREFIX = "PART_UNKNOWN:";

export async function pollParts(ctx: TPollContext): Promise<TPollResult> {
  const { connection, prisma, log } = ctx;
  const callsBefore = ctx.plex.calls;
  const rows = await ctx.plex.list("/mdm/v1/parts", { signal: ctx.signal });
  const records: TSourceRecord[] = [];
  const audit: TAuditEvent[] = [];
  for (const row of rows) {
    const parsed = ZPlexPart.safeParse(row);
    if (!parsed.success) {
      const id = (row as { id?: unknown } | null)?.id;
      audit.push({
        entity: "product",
        externalId: typeof id === "string" && id !== "" ? id : "(no id)",
        stage: "rejected",
        reason: "Plex sent a part without a usable id or with malformed fields",
      });
      continue;
    }
    records.push({
      externalId: parsed.data.id,
      contentHash: contentHash(parsed.data),
      sourceData: parsed.data,
      sourceModifiedAt: parsed.data.modifiedDate ? new Date(parsed.data.modifiedDate) : null,
    });
  }

  const changed = await upsertSourceRecords(prisma, connection.id, "product", records);
  for (const id of changed) {
    audit.push({ entity: "product", externalId: id, stage: "received", jobId: ctx.jobId });
  }
  await appendAudit(prisma, connection.id, audit, log);
  const queued = await handOnReceived(prisma, connection.id, "product", changed, ctx.enqueue);
  const waiting = changed.length === 0 ? 0 : await rebuildOrdersWaitingForParts(ctx);

  const result: TPollResult = {
    windows: 1,
    rows: rows.length,
    changed: changed.length,
    rejected: audit.filter((event) => event.stage === "rejected").length,
    queued,
    plexCalls: ctx.plex.calls - callsBefore,
  };
  await saveCursor(prisma, connection.id, "parts", { watermark: ctx.now, boundaryIds: [] }, result);
  log.info(
    {
      connectionId: connection.id,
      stream: "parts",
      rows: rows.length,
      changed: changed.length,
      waiting,
    },
    "plex parts pulled",
  );

  return result;
}

/** Orders rejected for an unknown part are rebuilt: the part may be known now. */
async function rebuildOrdersWaitingForParts(ctx: TPollContext): Promise<number> {
  const { rowCount } = await bulkSql(ctx.prisma).query(
    `UPDATE plex_order_records SET pending = true, updated_at = now()
     WHERE connection_id = $1 AND kind = 'order' AND external_id IN (
       SELECT external_id FROM sync_records
       WHERE connection_id = $1 AND entity = 'order' AND status = 'rejected'
         AND reason LIKE $2)`,
    [ctx.connection.id, `${PART_UNKNOWN_PREFIX}%`],
  );

  return rowCount ?? 0;
}

/** Pulls parts when they were never pulled; the assembler cannot read part numbers without. */
export async function ensurePartsPulled(ctx: TPollContext): Promise<void> {
  const cursor = await readCursor(ctx.prisma, ctx.connection.id, "parts");
  if (cursor.watermark === undefined) await pollParts(ctx);
}

export async function loadPartIndex(prisma: TPrisma, connectionId: string): Promise<TPartIndex> {
  const { rows } = await bulkSql(prisma).query<{ source_data: TPlexPart }>(
    "SELECT source_data FROM sync_records WHERE connection_id = $1 AND entity = 'product'",
    [connectionId],
  );
  const index: TPartIndex = { byId: new Map(), byNumber: new Map() };
  for (const { source_data: part } of rows) {
    index.byId.set(part.id, part);
    const number = typeof part.number === "string" ? part.number.trim().toLowerCase() : "";
    if (number === "") continue;
    // Several revisions may share a number: such a number cannot name one part.
    index.byNumber.set(number, index.byNumber.has(number) ? "ambiguous" : part);
  }

  return index;
}
