/**
 * Audience (list) calls: the list itself, merge fields, members, tags and list webhooks
 * (reference mailchimp-api.md §3 and §5.1).
 */
import type { MailchimpClient } from "./mailchimp.client.js";

export type TMemberStatus = "subscribed" | "unsubscribed" | "cleaned" | "pending" | "transactional";

export type TMergeValue = string | number | Record<string, string>;

export type TMemberUpsert = {
  email_address: string;
  /** Applied only when the address is new; never re-subscribes anyone (§3.1). */
  status_if_new: TMemberStatus;
  merge_fields?: Record<string, TMergeValue>;
  email_type?: "html" | "text";
  language?: string;
};

export type TBatchMember = {
  email_address: string;
  status: TMemberStatus;
  merge_fields?: Record<string, TMergeValue>;
  email_type?: "html" | "text";
};

export type TBatchSubscribeResult = {
  new_members: { id: string; email_address: string; status: string }[];
  updated_members: { id: string; email_address: string; status: string }[];
  errors: { email_address: string; error: string; error_code?: string; field?: string }[];
  total_created: number;
  total_updated: number;
  error_count: number;
};

export type TMergeField = {
  merge_id?: number;
  tag: string;
  name: string;
  type: string;
  required?: boolean;
  options?: Record<string, unknown>;
};

export type TListWebhook = {
  id: string;
  url: string;
  list_id?: string;
  events: Record<string, boolean>;
  sources: Record<string, boolean>;
};

const list = (listId: string) => `/lists/${encodeURIComponent(listId)}`;

export function getList(client: MailchimpClient, listId: string) {
  return client.get<{ id: string; name: string; stats?: Record<string, number> }>(list(listId), {
    fields: "id,name,stats.member_count",
  });
}

export async function listMergeFields(client: MailchimpClient, listId: string) {
  const page = await client.get<{ merge_fields: TMergeField[] }>(`${list(listId)}/merge-fields`, {
    count: 1000,
  });

  return page.merge_fields;
}

export function createMergeField(client: MailchimpClient, listId: string, field: TMergeField) {
  return client.post<TMergeField>(`${list(listId)}/merge-fields`, field);
}

export function upsertMember(
  client: MailchimpClient,
  listId: string,
  subscriberHash: string,
  member: TMemberUpsert,
) {
  return client.put<{ id: string; status: string }>(
    `${list(listId)}/members/${subscriberHash}`,
    member,
  );
}

/** POST /lists/{id}: up to 500 members; per-member errors come back inside a 200 (§3.6). */
export function batchSubscribe(
  client: MailchimpClient,
  listId: string,
  members: TBatchMember[],
  updateExisting: boolean,
) {
  if (members.length > 500) throw new Error("batch subscribe takes at most 500 members");

  return client.post<TBatchSubscribeResult>(list(listId), {
    members,
    update_existing: updateExisting,
  });
}

/** Sets the named tags active or inactive; tags not named are left as users set them (§3.4). */
export function updateMemberTags(
  client: MailchimpClient,
  listId: string,
  subscriberHash: string,
  tags: { name: string; status: "active" | "inactive" }[],
) {
  return client.post<undefined>(`${list(listId)}/members/${subscriberHash}/tags`, {
    tags,
    is_syncing: true,
  });
}

export async function listWebhooks(client: MailchimpClient, listId: string) {
  const page = await client.get<{ webhooks: TListWebhook[] }>(`${list(listId)}/webhooks`);

  return page.webhooks;
}

export function createWebhook(
  client: MailchimpClient,
  listId: string,
  webhook: Omit<TListWebhook, "id" | "list_id">,
) {
  return client.post<TListWebhook>(`${list(listId)}/webhooks`, webhook);
}

export function deleteWebhook(client: MailchimpClient, listId: string, webhookId: string) {
  return client.delete(`${list(listId)}/webhooks/${encodeURIComponent(webhookId)}`);
}
