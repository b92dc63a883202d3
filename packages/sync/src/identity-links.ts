/**
 * identity_links: which Plex customer (or contact) each Mailchimp member belongs to, found again
 * by e-mail hash and, failing that, by phone when engagement comes back. Also remembers the
 * member's last known status and the tags the connector set, so tags can be changed without
 * touching the ones users set.
 */
import type { TPrisma, TSqlPool } from "@ml-connector/db";
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

export async function saveLinks(sql: TSqlPool, connectionId: string, updates: TLinkUpdate[]) {
  // Sorted, so concurrent writers lock shared rows in the same order and never deadlock.
  const hashed = updates
    .filter((update) => update.subscriberHash !== undefined)
    .sort((a, b) => (a.subscriberHash! < b.subscriberHash! ? -1 : 1));
  for (let start = 0; start < hashed.length; start += 2_000) {
    const document = JSON.stringify(
      hashed.slice(start, start + 2_000).map((update) => ({
        subscriber_hash: update.subscriberHash,
        plex_customer_id: update.plexCustomerId,
        plex_customer_code: update.plexCustomerCode ?? null,
        plex_contact_id: update.plexContactId ?? null,
        email: update.email ?? null,
        phone: update.phone ?? null,
        member_status: update.memberStatus ?? null,
        managed_tags: update.managedTags ?? [],
        member_hash: update.memberHash ?? null,
        delivered_at: update.delivered === true ? new Date().toISOString() : null,
      })),
    );
    // Status, tags, hash and delivery time are only overwritten when this write produced them.
    await sql.query(
      `INSERT INTO identity_links (connection_id, subscriber_hash, plex_customer_id,
        plex_customer_code, plex_contact_id, email, phone, member_status, managed_tags,
        member_hash, delivered_at, created_at, updated_at)
      SELECT $1, link.subscriber_hash, link.plex_customer_id, link.plex_customer_code,
        link.plex_contact_id, link.email, link.phone, link.member_status, link.managed_tags,
        link.member_hash, link.delivered_at, now(), now()
      FROM jsonb_to_recordset($2::jsonb) AS link (subscriber_hash text,
        plex_customer_id text, plex_customer_code text, plex_contact_id text, email text,
        phone text, member_status text, managed_tags jsonb, member_hash text,
        delivered_at timestamptz)
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
        updated_at = now()`,
      [connectionId, document],
    );
  }

  // A phone-only identity has no hash: one row per customer/contact, found by its ids.
  for (const update of updates.filter((entry) => entry.subscriberHash === undefined)) {
    const values = [
      connectionId,
      update.plexCustomerId,
      update.plexContactId ?? null,
      update.plexCustomerCode ?? null,
      update.email ?? null,
      update.phone ?? null,
    ];
    const updated = await sql.query(
      `UPDATE identity_links SET plex_customer_code = $4, email = $5, phone = $6, updated_at = now()
       WHERE connection_id = $1 AND subscriber_hash IS NULL AND plex_customer_id = $2
         AND plex_contact_id IS NOT DISTINCT FROM $3`,
      values,
    );
    if (updated.rowCount === 0) {
      await sql.query(
        `INSERT INTO identity_links (connection_id, plex_customer_id, plex_contact_id,
           plex_customer_code, email, phone, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now(), now())`,
        values,
      );
    }
  }
}
