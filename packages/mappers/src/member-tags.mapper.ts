/**
 * Managed tags: the tags this connector sets on a member, every one starting with the tag prefix
 * (default `plex:`), so that tags users create in Mailchimp are never touched. Mailchimp changes
 * the case of tags (reference mailchimp-api.md §3.4), so tags are built lower-case and compared
 * case-insensitively. The tag-name length limit is not published (§3.4 "unconfirmed"); tags are
 * kept to 100 characters with slugs of at most 40.
 */
import type { TCustomerOrderStats } from "./mapping.types.js";
import { parsePlexDate, slug } from "./text.normalizer.js";

export const MAX_TAG_LENGTH = 100;
export const DEFAULT_TAG_PREFIX = "plex:";
const DAY_MS = 86_400_000;

export type TTagChange = { name: string; status: "active" | "inactive" };

export type TTagFacts = {
  kind: "customer" | "contact";
  industries: unknown[];
  region: unknown;
  customerType: unknown;
  accountCategory: unknown;
  contactType?: unknown;
  stats?: TCustomerOrderStats;
};

/** `plex:industry:automotive`, bounded; undefined when the value gives no slug. */
export function managedTag(prefix: string, facet: string, value: unknown): string | undefined {
  const valueSlug = slug(value);
  if (valueSlug === undefined) return undefined;

  return `${prefix}${facet}:${valueSlug}`.slice(0, MAX_TAG_LENGTH);
}

/** The managed tags of one member, sorted and without duplicates. */
export function buildManagedTags(
  facts: TTagFacts,
  prefix: string,
  now: Date,
  activeBuyerDays: number,
): string[] {
  return memberTags(customerTags(facts, prefix, now, activeBuyerDays), prefix, facts);
}

/** The tags every member of a customer shares, computed once per customer. */
export function customerTags(
  facts: Omit<TTagFacts, "kind" | "contactType">,
  prefix: string,
  now: Date,
  activeBuyerDays: number,
): string[] {
  const tags = new Set<string>();
  const add = (facet: string, value: unknown) => {
    const tag = managedTag(prefix, facet, value);
    if (tag !== undefined) tags.add(tag);
  };

  for (const industry of facts.industries) add("industry", industry);
  add("region", facts.region);
  add("type", facts.customerType);
  add("account", facts.accountCategory);
  const categories = facts.stats?.productCategories;
  for (const category of Array.isArray(categories) ? categories : []) add("category", category);

  const buyer = buyerTag(facts.stats, now, activeBuyerDays);
  if (buyer !== undefined) tags.add(`${prefix}${buyer}`);

  return [...tags];
}

/** The shared tags plus what this member is: the customer's own address or a contact (role). */
export function memberTags(
  shared: readonly string[],
  prefix: string,
  member: Pick<TTagFacts, "kind" | "contactType">,
): string[] {
  const tags = new Set<string>([...shared, `${prefix}${member.kind}`]);
  if (member.kind === "contact") {
    const role = managedTag(prefix, "role", member.contactType);
    if (role !== undefined) tags.add(role);
  }

  return [...tags].sort();
}

/**
 * Where the customer stands as a buyer at `now`: no statistics → no tag; no orders → prospect;
 * last order within `activeBuyerDays` → active buyer; older → lapsed.
 */
function buyerTag(
  stats: TCustomerOrderStats | undefined,
  now: Date,
  activeBuyerDays: number,
): "prospect" | "active-buyer" | "lapsed" | undefined {
  if (stats === undefined) return undefined;
  const lastOrder = parsePlexDate(stats.lastOrderDate);
  if (!(Number(stats.orderCount) > 0) || lastOrder === undefined) return "prospect";

  const ageDays = (now.getTime() - lastOrder) / DAY_MS;

  return ageDays <= activeBuyerDays ? "active-buyer" : "lapsed";
}

/**
 * The tag updates for `POST /lists/{id}/members/{hash}/tags` (§3.4): new managed tags become
 * active, managed tags set before and no longer wanted become inactive. Tags without the prefix
 * are ignored on both sides, so a tag a user set in Mailchimp is never deactivated.
 */
export function tagChanges(
  previousManagedTags: readonly string[],
  nextManagedTags: readonly string[],
  prefix = "plex:",
): TTagChange[] {
  const managed = (tags: readonly string[]) => {
    const byKey = new Map<string, string>();
    for (const tag of tags) {
      if (typeof tag !== "string") continue;
      const key = tag.trim().toLowerCase();
      if (key.startsWith(tagPrefix) && key.length > tagPrefix.length) {
        byKey.set(key, tag.trim());
      }
    }

    return byKey;
  };
  const tagPrefix = normaliseTagPrefix(prefix);
  const previous = managed(previousManagedTags);
  const next = managed(nextManagedTags);

  const changes: TTagChange[] = [];
  for (const [key, name] of next) {
    if (!previous.has(key)) changes.push({ name, status: "active" });
  }
  for (const [key, name] of previous) {
    if (!next.has(key)) changes.push({ name, status: "inactive" });
  }

  return changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The prefix in the form tags are built with. An empty prefix would make every tag "managed" and
 * let the writer deactivate tags users set, so it falls back to the default.
 */
export function normaliseTagPrefix(prefix: unknown): string {
  const text = typeof prefix === "string" ? prefix.trim().toLowerCase().slice(0, 30) : "";

  return text === "" ? DEFAULT_TAG_PREFIX : text;
}
