/**
 * One e-mail address is one Mailchimp member, but in Plex several customers can share an address
 * (a distributor's purchasing inbox, a parent company's AP mailbox). Within a batch of mapped
 * customers, the address stays with one customer by a deterministic rule — lowest customer code,
 * then lowest Plex id, customers without a code last — and the others lose that member with an
 * EMAIL_DUPLICATE_ACROSS_CUSTOMERS rejection naming the winner. The losers also lose the address
 * from their identities, so write-back matching on it is unambiguous; their e-commerce customers
 * stay (e-commerce customers are keyed by id, orders still need them).
 * Duplicates against customers synced in earlier batches are the writer's to check (identity
 * links in the database); this function only sees its batch.
 */
import { maskEmail } from "./email.rules.js";
import type { TCustomerMapping, TIdentity, TRejection } from "./mapping.types.js";

type TOwner = { customerId: string; code?: string };

function compareOwners(a: TOwner, b: TOwner): number {
  const codeA = a.code?.toLowerCase();
  const codeB = b.code?.toLowerCase();
  if (codeA !== codeB) {
    if (codeA === undefined) return 1;
    if (codeB === undefined) return -1;

    return codeA < codeB ? -1 : 1;
  }

  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

function ownerOf(mapping: TCustomerMapping, customerId: string): TOwner {
  const identity = mapping.identities.find(
    (candidate) => candidate.plexCustomerId === customerId && candidate.plexContactId === undefined,
  );

  return { customerId, code: identity?.plexCustomerCode };
}

export type TDuplicateResolution = {
  /** The same mappings, in the same order, with losing members removed. */
  mappings: TCustomerMapping[];
  /** The rejections added (also appended to each losing mapping's own rejections). */
  rejections: TRejection[];
};

export function detectDuplicateEmails(mappings: readonly TCustomerMapping[]): TDuplicateResolution {
  const winners = new Map<string, TOwner>();
  for (const mapping of mappings) {
    for (const member of mapping.members) {
      const candidate = ownerOf(mapping, member.plexCustomerId);
      const current = winners.get(member.email);
      if (current === undefined || compareOwners(candidate, current) < 0) {
        winners.set(member.email, candidate);
      }
    }
  }

  const added: TRejection[] = [];
  const resolved = mappings.map((mapping) => {
    const lost = new Set<string>();
    const rejections: TRejection[] = [];
    const members = mapping.members.filter((member) => {
      const winner = winners.get(member.email);
      if (winner === undefined || winner.customerId === member.plexCustomerId) return true;

      lost.add(member.email);
      const owner = ownerOf(mapping, member.plexCustomerId);
      const subject =
        member.plexContactId === undefined
          ? `customer ${owner.code ?? member.plexCustomerId}`
          : `contact ${member.plexContactId} of customer ${owner.code ?? member.plexCustomerId}`;
      rejections.push({
        entity: member.plexContactId === undefined ? "customer" : "contact",
        externalId: member.plexContactId ?? member.plexCustomerId,
        code: "EMAIL_DUPLICATE_ACROSS_CUSTOMERS",
        reason:
          `${subject} has e-mail ${maskEmail(member.email)}, which Plex customer ` +
          `${winner.code ?? winner.customerId} also uses; the address stays with that customer`,
      });

      return false;
    });
    if (rejections.length === 0) return mapping;

    added.push(...rejections);
    const identities = mapping.identities.map((identity) => withoutEmail(identity, lost));

    return { ...mapping, members, identities, rejections: [...mapping.rejections, ...rejections] };
  });

  return { mappings: resolved, rejections: added };
}

function withoutEmail(identity: TIdentity, lost: Set<string>): TIdentity {
  if (identity.email === undefined || !lost.has(identity.email)) return identity;
  const { email: _email, subscriberHash: _hash, ...rest } = identity;

  return rest;
}
