/**
 * identity_links: which Plex customer (or contact) each Mailchimp member belongs to, found again
 * by e-mail hash and, failing that, by phone when engagement comes back. Also remembers the
 * member's last known status and the tags the connector set, so tags can be changed without
 * touching the ones users set.
 */
import { Prisma, type TPrisma } from "@ml-connector/db";
import type { TIdentity } from "@ml-connector/mappers";

export type TKnownLink = {
  subscriberHash: string;
  plexCustomerId: string;
  plexCustomerCode: string | null;
  managedTags: string[];
  memberHash: string | null;
  deliveredAt: Date | null;
};

export async function loadLinksByHash(
  prisma: TPrisma,
  connectionId: string,
  hashes: string[],
): Promise<Map<string, TKnownLink>> {
  if (hashes.length === 0) return new Map();
  const rows = await prisma.identityLink.findMany({
    where: { connectionId, subscriberHash: { in: hashes } },
    select: {
      subscriberHash: true,
      plexCustomerId: true,
      plexCustomerCode: true,
      managedTags: true,
      memberHash: true,
      deliveredAt: true,
    },
  });

  return new Map(
    rows.map((row) => [
      row.subscriberHash!,
      {
        subscriberHash: row.subscriberHash!,
        plexCustomerId: row.plexCustomerId,
        plexCustomerCode: row.plexCustomerCode,
        managedTags: Array.isArray(row.managedTags) ? (row.managedTags as string[]) : [],
        memberHash: row.memberHash,
        deliveredAt: row.deliveredAt,
      },
    ]),
  );
}

export type TLinkUpdate = TIdentity & {
  memberStatus?: string;
  managedTags?: string[];
  memberHash?: string;
  delivered?: boolean;
};

export async function saveLinks(prisma: TPrisma, connectionId: string, updates: TLinkUpdate[]) {
  const hashed = updates.filter((update) => update.subscriberHash !== undefined);
  for (let start = 0; start < hashed.length; start += 1_000) {
    const rows = hashed.slice(start, start + 1_000).map(
      (update) => Prisma.sql`(${connectionId}, ${update.subscriberHash}, ${update.plexCustomerId},
        ${update.plexCustomerCode ?? null}, ${update.plexContactId ?? null}, ${update.email ?? null},
        ${update.phone ?? null}, ${update.memberStatus ?? null},
        ${JSON.stringify(update.managedTags ?? [])}::jsonb,
        ${update.memberHash ?? null}, ${update.delivered === true ? new Date() : null}::timestamptz,
        now(), now())`,
    );
    // Status, tags and delivery time are only overwritten when this write produced them.
    await prisma.$executeRaw`
      INSERT INTO identity_links (connection_id, subscriber_hash, plex_customer_id,
        plex_customer_code, plex_contact_id, email, phone, member_status, managed_tags,
        member_hash, delivered_at, created_at, updated_at)
      VALUES ${Prisma.join(rows)}
      ON CONFLICT (connection_id, subscriber_hash) DO UPDATE SET
        plex_customer_id = EXCLUDED.plex_customer_id,
        plex_customer_code = EXCLUDED.plex_customer_code,
        plex_contact_id = EXCLUDED.plex_contact_id,
        email = EXCLUDED.email,
        phone = EXCLUDED.phone,
        member_status = COALESCE(EXCLUDED.member_status, identity_links.member_status),
        managed_tags = CASE WHEN EXCLUDED.member_hash IS NULL THEN identity_links.managed_tags
                            ELSE EXCLUDED.managed_tags END,
        member_hash = COALESCE(EXCLUDED.member_hash, identity_links.member_hash),
        delivered_at = COALESCE(EXCLUDED.delivered_at, identity_links.delivered_at),
        updated_at = now()`;
  }

  // A phone-only identity has no hash: one row per customer/contact, found by its ids.
  for (const update of updates.filter((entry) => entry.subscriberHash === undefined)) {
    const data = {
      plexCustomerId: update.plexCustomerId,
      plexCustomerCode: update.plexCustomerCode ?? null,
      plexContactId: update.plexContactId ?? null,
      email: update.email ?? null,
      phone: update.phone ?? null,
    };
    const existing = await prisma.identityLink.findFirst({
      where: {
        connectionId,
        subscriberHash: null,
        plexCustomerId: update.plexCustomerId,
        plexContactId: update.plexContactId ?? null,
      },
      select: { id: true },
    });
    if (existing === null) await prisma.identityLink.create({ data: { connectionId, ...data } });
    else await prisma.identityLink.update({ where: { id: existing.id }, data });
  }
}
