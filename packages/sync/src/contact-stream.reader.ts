/**
 * The contacts stream. Plex publishes no date filter on contacts (reference plex-api.md §2.5), so
 * they are pulled in full (one call, on their own slower schedule) and diffed against what was
 * stored by content hash. A customer whose contacts changed is handed on again for re-mapping;
 * contacts that disappeared from Plex are marked "removed".
 */
import { contentHash } from "@ml-connector/mappers";
import { ZPlexContact } from "@ml-connector/plex-client";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import { saveCursor } from "./cursor.store.js";
import { handOnReceived } from "./hand-on.js";
import type { TPollContext, TPollResult } from "./poll.types.js";
import { loadKnownRecords, upsertSourceRecords, type TSourceRecord } from "./record.store.js";

export async function pollContacts(ctx: TPollContext): Promise<TPollResult> {
  const { connection, prisma, log } = ctx;
  const callsBefore = ctx.plex.calls;
  const rows = await ctx.plex.list("/mdm/v1/contacts", { signal: ctx.signal });
  const records: TSourceRecord[] = [];
  const audit: TAuditEvent[] = [];
  let rejected = 0;

  for (const row of rows) {
    const parsed = ZPlexContact.safeParse(row);
    if (!parsed.success) {
      rejected += 1;
      const id =
        typeof (row as { id?: unknown }).id === "string" ? (row as { id: string }).id : "(no id)";
      audit.push({
        entity: "contact",
        externalId: id,
        stage: "rejected",
        reason: "Plex sent a contact record without a usable id or with malformed fields",
      });
      continue;
    }
    const contact = parsed.data;
    records.push({
      externalId: contact.id,
      parentId: contact.customerId ?? null,
      contentHash: contentHash(contact),
      sourceData: contact,
      sourceModifiedAt: contact.modifiedDate ? new Date(contact.modifiedDate) : null,
    });
  }

  const known = await loadKnownRecords(prisma, connection.id, "contact");
  const changed = new Set(await upsertSourceRecords(prisma, connection.id, "contact", records));
  const present = new Set(records.map((record) => record.externalId));
  const removed = [...known.keys()].filter((id) => !present.has(id));
  // Contacts an earlier run stored but died before handing on (still "received", same hash):
  // their customers are queued now, or the change would wait for the next edit in Plex.
  const stranded = [...present].filter((id) => known.get(id)?.status === "received");
  const handOn = new Set([...changed, ...stranded]);
  const parentsOfChanged = new Set(
    records.filter((record) => handOn.has(record.externalId)).map((record) => record.parentId),
  );

  if (removed.length > 0) {
    const gone = await prisma.$queryRaw<{ parent_id: string | null }[]>`
      UPDATE sync_records SET status = 'removed', reason = 'no longer in Plex', updated_at = now()
      WHERE connection_id = ${connection.id} AND entity = 'contact' AND status <> 'removed'
        AND external_id = ANY(${removed}::text[])
      RETURNING parent_id`;
    for (const contact of gone) parentsOfChanged.add(contact.parent_id);
  }
  for (const id of changed)
    audit.push({ entity: "contact", externalId: id, stage: "received", jobId: ctx.jobId });
  await appendAudit(prisma, connection.id, audit, log);

  // Contacts are mapped as part of their customer: re-send the customers they belong to.
  const customerIds = [...parentsOfChanged].filter((id): id is string => typeof id === "string");
  if (customerIds.length > 0) {
    await prisma.$executeRaw`
      UPDATE sync_records SET status = 'received', updated_at = now()
      WHERE connection_id = ${connection.id} AND entity = 'customer'
        AND external_id = ANY(${customerIds}::text[])`;
  }
  const queued = await handOnReceived(prisma, connection.id, "customer", customerIds, ctx.enqueue);
  await prisma.$executeRaw`
    UPDATE sync_records SET status = 'queued', updated_at = now()
    WHERE connection_id = ${connection.id} AND entity = 'contact'
      AND external_id = ANY(${[...handOn]}::text[])`;

  const result: TPollResult = {
    windows: 1,
    rows: rows.length,
    changed: changed.size,
    rejected,
    queued,
    plexCalls: ctx.plex.calls - callsBefore,
  };
  await saveCursor(
    prisma,
    connection.id,
    "contacts",
    { watermark: ctx.now, boundaryIds: [] },
    result,
  );
  log.info(
    {
      connectionId: connection.id,
      stream: "contacts",
      rows: rows.length,
      changed: changed.size,
      removed: removed.length,
      customers: queued,
    },
    "plex contacts pulled",
  );

  return result;
}
