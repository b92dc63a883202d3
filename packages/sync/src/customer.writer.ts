/**
 * Writes a batch of Plex customers (with their contacts) to Mailchimp: maps them, refuses
 * conflicting duplicates, delivers the members, queues tag changes and e-commerce customers as a
 * /batches job, records identities, and leaves every record "delivered" or "rejected" with its
 * reason in sync_records and the audit trail. Safe to run twice for the same ids.
 */
import type { TConnectionView } from "@ml-connector/connections";
import { bulkSql, withBulkTransaction, type TPrisma } from "@ml-connector/db";
import {
  createBatch,
  type MailchimpClient,
  type TBatchOperation,
} from "@ml-connector/mailchimp-client";
import {
  contentHash,
  detectDuplicateEmails,
  mapCustomer,
  maskEmail,
  tagChanges,
  type TCustomerMapping,
  type TCustomerOrderStats,
  type TMappedMember,
  type TRejection,
} from "@ml-connector/mappers";
import type { TPlexAddress, TPlexContact, TPlexCustomer } from "@ml-connector/plex-client";
import type { Logger } from "@ml-connector/runtime";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import { loadCustomerStats } from "./customer-order-stats.js";
import { loadLinksByHash, saveLinks, type TLinkUpdate } from "./identity-links.js";
import { deliverMembers, type TMemberResult } from "./member-delivery.js";
import { loadChildren, loadRecords, markOutcomes, type TOutcome } from "./record.store.js";

export type TWriteContext = {
  connection: TConnectionView;
  mailchimp: MailchimpClient;
  prisma: TPrisma;
  log: Logger;
  now: Date;
  jobId?: string;
  attempt?: number;
  /** Schedules reading a /batches job's results into the audit trail. */
  collectBatch: (batchId: string) => Promise<void>;
  replay?: boolean;
};

export type TWriteResult = {
  customers: number;
  membersCreated: number;
  membersUpdated: number;
  membersUnchanged: number;
  rejected: number;
  batchOperations: number;
};

const EMAIL_PATTERN = /[^\s@"'<>()]+@[^\s@"'<>()]+\.[a-z]{2,}/gi;

/** Mailchimp's messages quote the address; the audit keeps it masked. */
export function maskEmailsIn(text: string): string {
  return text.replace(EMAIL_PATTERN, (email) => maskEmail(email));
}

function memberHash(member: TMappedMember): string {
  return contentHash({ mergeFields: member.mergeFields, tags: member.tags, email: member.email });
}

type TCustomerData = {
  customer: TPlexCustomer;
  addresses?: TPlexAddress[];
  stats?: TCustomerOrderStats;
};

export async function writeCustomers(
  ctx: TWriteContext,
  customerIds: string[],
): Promise<TWriteResult> {
  const { connection, prisma, log } = ctx;
  const listId = connection.mailchimp.listId!;
  const phases: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string) => {
    phases[`${name}Ms`] = Date.now() - phaseStart;
    phaseStart = Date.now();
  };
  const records = await loadRecords(prisma, connection.id, "customer", customerIds);
  const contacts = (await loadChildren(prisma, connection.id, "contact", customerIds)).filter(
    (contact) => contact.status !== "removed",
  );
  const contactsByCustomer = new Map<string, TPlexContact[]>();
  for (const contact of contacts) {
    const list = contactsByCustomer.get(contact.parentId ?? "") ?? [];
    list.push(contact.sourceData as TPlexContact);
    contactsByCustomer.set(contact.parentId ?? "", list);
  }

  // The order history (issue #6) lives beside the customer record, so a customer changed in
  // Plex keeps it.
  const orderStats = await loadCustomerStats(bulkSql(prisma), connection.id, customerIds);
  const options = connection.options;
  const mapped = records.map((record) => {
    const data = record.sourceData as TCustomerData;

    return mapCustomer(
      {
        customer: data.customer,
        addresses: data.addresses ?? [],
        contacts: contactsByCustomer.get(record.externalId) ?? [],
        stats: orderStats.get(record.externalId) ?? data.stats,
      },
      {
        now: ctx.now,
        statusIfNew: options.statusIfNew,
        tagPrefix: options.tagPrefix,
        includeContacts: options.includeContacts,
        includeInactive: options.includeInactiveCustomers,
      },
    );
  });
  const { mappings } = detectDuplicateEmails(mapped);
  const links = await loadLinksByHash(
    prisma,
    connection.id,
    mappings.flatMap((mapping) => mapping.members.map((member) => member.subscriberHash)),
  );
  rejectClaimedElsewhere(mappings, links);
  phase("load");

  // A member already written with exactly this body needs no call at all.
  const members = mappings
    .flatMap((mapping) => mapping.members)
    .filter((member) => links.get(member.subscriberHash)?.memberHash !== memberHash(member));
  const unchangedMembers = mappings
    .flatMap((mapping) => mapping.members)
    .filter((member) => !members.includes(member));
  const unchanged = unchangedMembers.length;
  const results = await deliverMembers(
    ctx.mailchimp,
    listId,
    members.map((member) => ({
      member,
      known: links.get(member.subscriberHash)?.deliveredAt != null,
    })),
  );
  phase("deliver");
  const delivered = new Map(
    results
      .filter((result) => result.outcome !== "rejected")
      .map((result) => [result.member.subscriberHash, result]),
  );

  const operations = batchOperations(connection, mappings, delivered, links);
  if (operations.length > 0) {
    const batch = await createBatch(ctx.mailchimp, operations);
    await ctx.collectBatch(batch.id);
    log.info(
      { connectionId: connection.id, batchId: batch.id, operations: operations.length },
      "mailchimp batch submitted",
    );
  }

  phase("batch");
  const { outcomes, contactOutcomes, audit } = summarise(
    ctx,
    mappings,
    records.map((r) => r.externalId),
    results,
    unchangedMembers,
  );
  // Identities, outcomes and audit rows land together, in one transaction.
  await withBulkTransaction(prisma, async (sql) => {
    await saveLinks(sql, connection.id, linkUpdates(mappings, delivered));
    await markOutcomes(sql, connection.id, "customer", outcomes);
    await markOutcomes(sql, connection.id, "contact", contactOutcomes);
    await appendAudit(sql, connection.id, audit, log);
  });

  const result: TWriteResult = {
    customers: records.length,
    membersCreated: results.filter((entry) => entry.outcome === "created").length,
    membersUpdated: results.filter((entry) => entry.outcome === "updated").length,
    membersUnchanged: unchanged,
    rejected: audit.filter((event) => event.stage === "rejected").length,
    batchOperations: operations.length,
  };
  phase("record");
  log.info(
    { connectionId: connection.id, entity: "customer", ...result, ...phases },
    "customers written",
  );

  return result;
}

/** An e-mail already linked to another Plex customer stays with that customer. */
function rejectClaimedElsewhere(
  mappings: TCustomerMapping[],
  links: Map<string, { plexCustomerId: string; plexCustomerCode: string | null }>,
) {
  for (const mapping of mappings) {
    mapping.members = mapping.members.filter((member) => {
      const owner = links.get(member.subscriberHash);
      if (owner === undefined || owner.plexCustomerId === member.plexCustomerId) return true;
      mapping.rejections.push({
        entity: member.plexContactId === undefined ? "customer" : "contact",
        externalId: member.plexContactId ?? member.plexCustomerId,
        code: "EMAIL_DUPLICATE_ACROSS_CUSTOMERS",
        reason: `e-mail ${maskEmail(member.email)} already belongs to Plex customer ${owner.plexCustomerCode ?? owner.plexCustomerId}`,
      });

      return false;
    });
  }
}

function batchOperations(
  connection: TConnectionView,
  mappings: TCustomerMapping[],
  delivered: Map<string, TMemberResult>,
  links: Map<string, { managedTags: string[] }>,
): TBatchOperation[] {
  const listId = connection.mailchimp.listId!;
  const storeId = connection.mailchimp.storeId;
  const operations: TBatchOperation[] = [];
  for (const mapping of mappings) {
    for (const member of mapping.members) {
      if (!delivered.has(member.subscriberHash)) continue;
      const previous = links.get(member.subscriberHash)?.managedTags ?? [];
      const changes = tagChanges(previous, member.tags, connection.options.tagPrefix);
      if (changes.length === 0) continue;
      operations.push({
        method: "POST",
        path: `/lists/${listId}/members/${member.subscriberHash}/tags`,
        operation_id: `tags-${member.subscriberHash}`,
        body: JSON.stringify({ tags: changes, is_syncing: true }),
      });
    }
    const customer = mapping.ecommerceCustomer;
    const ownMember = mapping.members.find((member) => member.email === customer?.email_address);
    if (
      customer !== undefined &&
      storeId !== null &&
      ownMember !== undefined &&
      delivered.has(ownMember.subscriberHash)
    ) {
      operations.push({
        method: "PUT",
        path: `/ecommerce/stores/${storeId}/customers/${encodeURIComponent(customer.id)}`,
        operation_id: `customer-${customer.id}`,
        body: JSON.stringify(customer),
      });
    }
  }

  return operations;
}

function linkUpdates(
  mappings: TCustomerMapping[],
  delivered: Map<string, TMemberResult>,
): TLinkUpdate[] {
  const updates: TLinkUpdate[] = [];
  for (const mapping of mappings) {
    for (const identity of mapping.identities) {
      const result =
        identity.subscriberHash === undefined ? undefined : delivered.get(identity.subscriberHash);
      const member = mapping.members.find(
        (entry) => entry.subscriberHash === identity.subscriberHash,
      );
      if (identity.subscriberHash !== undefined && member === undefined) continue;
      updates.push({
        ...identity,
        ...(result !== undefined && result.outcome !== "rejected"
          ? {
              memberStatus: result.status,
              managedTags: member?.tags,
              memberHash: member === undefined ? undefined : memberHash(member),
              delivered: true,
            }
          : {}),
      });
    }
  }

  return updates;
}

function summarise(
  ctx: TWriteContext,
  mappings: TCustomerMapping[],
  customerIds: string[],
  results: TMemberResult[],
  unchangedMembers: TMappedMember[],
) {
  const audit: TAuditEvent[] = [];
  const outcomes: TOutcome[] = [];
  const contactOutcomes: TOutcome[] = [];
  const common = { jobId: ctx.jobId, attempt: ctx.attempt };
  const rejections: TRejection[] = mappings.flatMap((mapping) => mapping.rejections);
  for (const result of results) {
    if (result.outcome !== "rejected") continue;
    rejections.push({
      entity: result.member.plexContactId === undefined ? "customer" : "contact",
      externalId: result.member.plexContactId ?? result.member.plexCustomerId,
      code: "EMAIL_INVALID",
      reason: `Mailchimp refused ${maskEmail(result.member.email)}: ${maskEmailsIn(result.reason)}`,
    });
  }
  const deliveredByCustomer = new Map<string, number>();
  // Members whose body did not change were not sent again, but are in Mailchimp as they should be.
  const unchangedByCustomer = new Map<string, number>();
  for (const member of unchangedMembers) {
    const customerId = member.plexCustomerId;
    deliveredByCustomer.set(customerId, (deliveredByCustomer.get(customerId) ?? 0) + 1);
    unchangedByCustomer.set(customerId, (unchangedByCustomer.get(customerId) ?? 0) + 1);
  }
  // Customers whose own address was written in this run carry a "delivered" row of their own.
  const ownDelivered = new Set<string>();
  for (const result of results) {
    if (result.outcome === "rejected") continue;
    const customerId = result.member.plexCustomerId;
    deliveredByCustomer.set(customerId, (deliveredByCustomer.get(customerId) ?? 0) + 1);
    if (result.member.plexContactId === undefined) ownDelivered.add(customerId);
    audit.push({
      ...common,
      entity: result.member.plexContactId === undefined ? "customer" : "contact",
      externalId: result.member.plexContactId ?? customerId,
      stage: "delivered",
      detail: {
        member: maskEmail(result.member.email),
        subscriberHash: result.member.subscriberHash,
        outcome: result.outcome,
        status: result.status,
      },
    });
    if (result.member.plexContactId !== undefined) {
      contactOutcomes.push({ externalId: result.member.plexContactId, status: "delivered" });
    }
  }
  for (const rejection of rejections) {
    audit.push({
      ...common,
      entity: rejection.entity,
      externalId: rejection.externalId,
      stage: "rejected",
      reason: rejection.reason,
      detail: { code: rejection.code },
    });
    if (rejection.entity === "contact") {
      contactOutcomes.push({
        externalId: rejection.externalId,
        status: "rejected",
        reason: rejection.reason,
      });
    }
  }
  for (const customerId of customerIds) {
    const own = rejections.find(
      (rejection) => rejection.entity === "customer" && rejection.externalId === customerId,
    );
    const members = deliveredByCustomer.get(customerId) ?? 0;
    if (members > 0) {
      outcomes.push({ externalId: customerId, status: "delivered", reason: own?.reason });
      // Delivered through its contacts, or unchanged and not sent again: the customer's own
      // trail still says so, or it would end at "mapped" while the record says "delivered".
      if (!ownDelivered.has(customerId)) {
        audit.push({
          ...common,
          entity: "customer",
          externalId: customerId,
          stage: "delivered",
          detail: {
            contactsWritten: members - (unchangedByCustomer.get(customerId) ?? 0),
            unchanged: unchangedByCustomer.get(customerId) ?? 0,
          },
        });
      }
    } else {
      const reason =
        own?.reason ?? "no member could be written for this customer (see its contacts)";
      outcomes.push({ externalId: customerId, status: "rejected", reason });
      if (own === undefined) {
        audit.push({
          ...common,
          entity: "customer",
          externalId: customerId,
          stage: "rejected",
          reason,
        });
      }
    }
    audit.push({
      ...common,
      entity: "customer",
      externalId: customerId,
      stage: ctx.replay === true ? "replayed" : "mapped",
    });
  }

  return { outcomes, contactOutcomes, audit };
}
