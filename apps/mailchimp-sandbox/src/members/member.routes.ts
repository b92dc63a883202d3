/**
 * Audience members: list, add, upsert, update, archive, delete permanently, and tags
 * (reference/mailchimp-api.md §3.1–3.4). The rules live in member.service.ts.
 */
import { noContent, ok, page, queryFlag, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { problems } from "../http/api-problem.js";
import { param, requireList } from "../lists/list.lookup.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TMember } from "../state/audience.model.js";
import { serializeMember } from "./member.serializer.js";
import type { TMemberInput } from "./member.service.js";

const MEMBER = "/lists/{list_id}/members/{subscriber_hash}";

/** The sandbox's own bound on tag names and tags per member (Mailchimp publishes none). */
const MAX_TAG_NAME = 100;
const MAX_TAGS_PER_MEMBER = 500;

type TTagsBody = { tags: { name: string; status: "active" | "inactive" }[]; is_syncing?: boolean };

function target(call: TApiCall) {
  return {
    list: requireList(call.account, param(call.params, "list_id")),
    key: param(call.params, "subscriber_hash"),
  };
}

function writeOptions(call: TApiCall) {
  return {
    source: call.source,
    skipMergeValidation: queryFlag(call.query, "skip_merge_validation"),
  };
}

function listMembers(call: TApiCall) {
  const list = requireList(call.account, param(call.params, "list_id"));
  const { query } = call;
  let members = [...list.members.values()];

  if (query.status !== undefined)
    members = members.filter((member) => member.status === query.status);
  if (query.email_type !== undefined)
    members = members.filter((member) => member.email_type === query.email_type);
  if (queryFlag(query, "vip_only")) members = members.filter((member) => member.vip);
  if (query.unique_email_id !== undefined) {
    members = members.filter((member) => member.unique_email_id === query.unique_email_id);
  }
  members = members.filter(
    (member) =>
      after(member.last_changed_ms, query.since_last_changed) &&
      before(member.last_changed_ms, query.before_last_changed) &&
      after(Date.parse(member.timestamp_opt), query.since_timestamp_opt) &&
      before(Date.parse(member.timestamp_opt), query.before_timestamp_opt),
  );
  if (query.unsubscribed_since !== undefined) {
    members = members.filter(
      (member) =>
        member.status === "unsubscribed" && after(member.last_changed_ms, query.unsubscribed_since),
    );
  }
  members.sort(compareBy(query.sort_field, query.sort_dir));

  return ok({
    members: page(members, query).map((member) => serializeMember(call.apiBase, list, member)),
    list_id: list.id,
    total_items: members.length,
    _links: [],
  });
}

function after(valueMs: number, bound: string | undefined): boolean {
  if (bound === undefined) return true;
  const boundMs = Date.parse(bound);

  return Number.isNaN(boundMs) || (!Number.isNaN(valueMs) && valueMs > boundMs);
}

function before(valueMs: number, bound: string | undefined): boolean {
  if (bound === undefined) return true;
  const boundMs = Date.parse(bound);

  return Number.isNaN(boundMs) || (!Number.isNaN(valueMs) && valueMs < boundMs);
}

function compareBy(field: string | undefined, direction: string | undefined) {
  const sign = direction === "DESC" ? -1 : 1;
  const keyOf = (member: TMember): number =>
    field === "timestamp_opt"
      ? Date.parse(member.timestamp_opt) || 0
      : field === "timestamp_signup"
        ? Date.parse(member.timestamp_signup) || 0
        : field === "last_changed"
          ? member.last_changed_ms
          : member.web_id;

  return (a: TMember, b: TMember) => sign * (keyOf(a) - keyOf(b));
}

function setTags(call: TApiCall, ctx: SandboxContext) {
  const { list, key } = target(call);
  const member = ctx.members.require(list, key);
  const body = call.body as TTagsBody;

  const tooLong = body.tags.find((tag) => tag.name.length > MAX_TAG_NAME);
  if (tooLong !== undefined) {
    throw problems.invalidResource([
      { field: "tags.name", message: `Tag names must be ${MAX_TAG_NAME} characters or fewer` },
    ]);
  }
  for (const tag of body.tags) {
    const existing = [...member.tags.keys()].find(
      (name) => name.toLowerCase() === tag.name.toLowerCase(),
    );
    if (tag.status === "inactive") {
      if (existing !== undefined) member.tags.delete(existing);
      continue;
    }
    if (existing === undefined && member.tags.size >= MAX_TAGS_PER_MEMBER) {
      throw problems.invalidResourceDetail(
        `A contact can have at most ${MAX_TAGS_PER_MEMBER} tags in the sandbox.`,
      );
    }
    ctx.members.addTag(list, member, tag.name);
  }
  ctx.members.touch(member);

  // "The call returns 204" (§3.4).
  return noContent();
}

export const MEMBER_ROUTES: TApiRoute[] = [
  { method: "get", path: "/lists/{list_id}/members", handle: listMembers },
  {
    method: "post",
    path: "/lists/{list_id}/members",
    handle: (call, ctx) => {
      const list = requireList(call.account, param(call.params, "list_id"));
      const member = ctx.members.add(
        call.account.id,
        list,
        call.body as TMemberInput,
        writeOptions(call),
      );

      return ok(serializeMember(call.apiBase, list, member));
    },
  },
  {
    method: "get",
    path: MEMBER,
    handle: (call, ctx) => {
      const { list, key } = target(call);

      return ok(serializeMember(call.apiBase, list, ctx.members.require(list, key)));
    },
  },
  {
    method: "put",
    path: MEMBER,
    handle: (call, ctx) => {
      const { list, key } = target(call);
      const member = ctx.members.upsert(
        call.account.id,
        list,
        key,
        call.body as TMemberInput,
        writeOptions(call),
      );

      return ok(serializeMember(call.apiBase, list, member));
    },
  },
  {
    method: "patch",
    path: MEMBER,
    handle: (call, ctx) => {
      const { list, key } = target(call);
      const member = ctx.members.patch(
        call.account.id,
        list,
        key,
        call.body as TMemberInput,
        writeOptions(call),
      );

      return ok(serializeMember(call.apiBase, list, member));
    },
  },
  {
    method: "delete",
    path: MEMBER,
    handle: (call, ctx) => {
      const { list, key } = target(call);
      ctx.members.archive(call.account.id, list, key, call.source);

      return noContent();
    },
  },
  {
    method: "post",
    path: `${MEMBER}/actions/delete-permanent`,
    handle: (call, ctx) => {
      const { list, key } = target(call);
      ctx.members.deletePermanent(call.account.id, list, key, call.source);

      return noContent();
    },
  },
  {
    method: "get",
    path: `${MEMBER}/tags`,
    handle: (call, ctx) => {
      const { list, key } = target(call);
      const member = ctx.members.require(list, key);
      const tags = [...member.tags.values()];

      return ok({ tags: page(tags, call.query), total_items: tags.length, _links: [] });
    },
  },
  { method: "post", path: `${MEMBER}/tags`, handle: setTags },
];
