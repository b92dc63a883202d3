/**
 * POST /lists/{list_id}: batch subscribe or unsubscribe, up to 500 members per call
 * (reference/mailchimp-api.md §3.6). The call as a whole answers 200; members that fail come back
 * in `errors[]` with an `error_code` (ERROR_CONTACT_EXISTS, ERROR_GENERIC), next to
 * `new_members`, `updated_members` and the totals. An address twice in one request fails the whole
 * request unless `skip_duplicate_check` is set, in which case the first appearance wins (a
 * recorded e2e run against Mailchimp answered 400 for duplicates).
 */
import { ok, queryFlag, type TApiCall, type TApiResult } from "../api/api-route.js";
import { ApiProblem, problems } from "../http/api-problem.js";
import { serializeBatchMember } from "../members/member.serializer.js";
import type { TMemberInput } from "../members/member.service.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TAudience, TMember } from "../state/audience.model.js";
import { subscriberHash } from "../state/id-generator.js";
import { param, requireList } from "./list.lookup.js";

type TBatchMember = TMemberInput & { tags?: string[] };

type TBatchBody = { members: TBatchMember[]; update_existing?: boolean; sync_tags?: boolean };

type TMemberError = {
  email_address: string;
  error: string;
  error_code: "ERROR_CONTACT_EXISTS" | "ERROR_GENERIC";
  field: string;
  field_message: string;
};

export function batchSubscribeUnits(call: Pick<TApiCall, "body">): number {
  const members = (call.body as Partial<TBatchBody> | undefined)?.members;

  return Array.isArray(members) ? members.length : 0;
}

export function batchSubscribe(call: TApiCall, ctx: SandboxContext): TApiResult {
  const list = requireList(call.account, param(call.params, "list_id"));
  const body = call.body as TBatchBody;
  const limit = ctx.options.limits.maxBatchSubscribeMembers;
  if (body.members.length > limit) {
    throw problems.invalidResource([
      {
        field: "members",
        message: `A maximum of ${limit} members may be added or updated per call`,
      },
    ]);
  }
  const members = dedupe(body.members, queryFlag(call.query, "skip_duplicate_check"));

  const created: TMember[] = [];
  const updated: TMember[] = [];
  const errors: TMemberError[] = [];
  const skipMergeValidation = queryFlag(call.query, "skip_merge_validation");

  for (const input of members) {
    const email = typeof input.email_address === "string" ? input.email_address : "";
    try {
      const existing = email === "" ? undefined : list.members.get(subscriberHash(email));
      if (
        existing !== undefined &&
        existing.status !== "archived" &&
        body.update_existing !== true
      ) {
        errors.push(contactExists(email));
        continue;
      }

      const member = writeMember(ctx, call, list, input, existing, skipMergeValidation);
      if (body.sync_tags === true && Array.isArray(input.tags))
        syncTags(ctx, list, member, input.tags);
      (existing === undefined ? created : updated).push(member);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      errors.push(genericError(email, err));
    }
  }

  return ok({
    new_members: created.map((member) => serializeBatchMember(call.apiBase, list, member)),
    updated_members: updated.map((member) => serializeBatchMember(call.apiBase, list, member)),
    errors,
    total_created: created.length,
    total_updated: updated.length,
    error_count: errors.length,
    _links: [],
  });
}

function writeMember(
  ctx: SandboxContext,
  call: TApiCall,
  list: TAudience,
  input: TBatchMember,
  existing: TMember | undefined,
  skipMergeValidation: boolean,
): TMember {
  const options = { source: call.source, skipMergeValidation };
  const { tags: _tags, ...fields } = input;
  if (existing === undefined) {
    if (fields.status === undefined) {
      throw problems.invalidResource([
        { field: "", message: "Required fields were not provided: status" },
      ]);
    }
    // Batch members carry `status`, used for new members (the 3.0.55 schema has no status_if_new).
    return ctx.members.upsert(
      call.account.id,
      list,
      subscriberHash(fields.email_address ?? ""),
      {
        ...fields,
        status_if_new: fields.status,
      },
      options,
    );
  }

  // `update_existing`: "change existing members' subscription status" (§3.6).
  return ctx.members.upsert(call.account.id, list, existing.id, fields, options);
}

function syncTags(ctx: SandboxContext, list: TAudience, member: TMember, tags: string[]): void {
  member.tags.clear();
  for (const name of tags) ctx.members.addTag(list, member, name);
}

function dedupe(members: TBatchMember[], skipDuplicateCheck: boolean): TBatchMember[] {
  const seen = new Set<string>();
  const kept: TBatchMember[] = [];
  for (const member of members) {
    const key = typeof member.email_address === "string" ? member.email_address.toLowerCase() : "";
    if (key !== "" && seen.has(key)) {
      if (skipDuplicateCheck) continue;
      throw problems.invalidResource([
        {
          field: "members",
          message: `${member.email_address} appears more than once in this request`,
        },
      ]);
    }
    seen.add(key);
    kept.push(member);
  }

  return kept;
}

function contactExists(email: string): TMemberError {
  const message =
    `${email} is already a list member, do you want to update? please provide ` +
    "update_existing:true in the request body";

  return {
    email_address: email,
    error: message,
    error_code: "ERROR_CONTACT_EXISTS",
    field: "",
    field_message: "",
  };
}

function genericError(email: string, problem: ApiProblem): TMemberError {
  const first = problem.errors?.[0];

  return {
    email_address: email,
    error: problem.detail,
    error_code: "ERROR_GENERIC",
    field: first?.field ?? "",
    field_message: first?.message ?? "",
  };
}
