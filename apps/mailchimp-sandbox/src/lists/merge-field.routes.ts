/**
 * Merge fields ("audience fields"): GET/POST /lists/{list_id}/merge-fields and GET/PATCH/DELETE
 * by merge_id ([SPEC], reference §3.3). `name` and `type` are required; without a `tag` Mailchimp
 * generates `MERGE<n>`. Tags are stored upper-case; a tag already used on the list is refused.
 */
import { noContent, ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { resourceLinks } from "../api/links.js";
import { problems } from "../http/api-problem.js";
import type { TAudience, TMergeField } from "../state/audience.model.js";
import { param, requireList } from "./list.lookup.js";

type TMergeFieldBody = Partial<Omit<TMergeField, "merge_id">> & {
  name?: string;
  type?: TMergeField["type"];
};

/** Third-party material says tags use upper-case letters, digits and "_" (§3.3, unconfirmed). */
const TAG = /^[A-Z][A-Z0-9_]{0,49}$/;

const DEFAULT_OPTIONS: Partial<Record<TMergeField["type"], TMergeField["options"]>> = {
  text: { size: 25 },
  date: { date_format: "MM/DD/YYYY" },
  birthday: { date_format: "MM/DD" },
  phone: { phone_format: "none" },
  address: { default_country: 164 },
};

function serialize(apiBase: string, list: TAudience, field: TMergeField): Record<string, unknown> {
  return {
    ...field,
    options: { ...field.options },
    list_id: list.id,
    _links: resourceLinks(
      apiBase,
      `/lists/${list.id}/merge-fields/${field.merge_id}`,
      `/lists/${list.id}/merge-fields`,
    ),
  };
}

function requireField(call: TApiCall): { list: TAudience; field: TMergeField } {
  const list = requireList(call.account, param(call.params, "list_id"));
  const mergeId = Number(param(call.params, "merge_id"));
  const field = list.mergeFields.find((candidate) => candidate.merge_id === mergeId);
  if (field === undefined) throw problems.notFound();

  return { list, field };
}

function checkTag(list: TAudience, tag: string, except?: TMergeField): void {
  if (!TAG.test(tag)) {
    throw problems.invalidResource([
      { field: "tag", message: "Merge tags may only contain letters, numbers and _" },
    ]);
  }
  if (tag === "EMAIL" || list.mergeFields.some((field) => field.tag === tag && field !== except)) {
    throw problems.invalidResourceDetail(
      `A Merge Field with the tag "${tag}" already exists for this list.`,
    );
  }
}

function checkChoices(type: TMergeField["type"], options: TMergeField["options"]): void {
  if ((type === "radio" || type === "dropdown") && (options.choices ?? []).length === 0) {
    throw problems.invalidResource([
      { field: "options.choices", message: "Please provide at least one choice" },
    ]);
  }
}

export const MERGE_FIELD_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/lists/{list_id}/merge-fields",
    handle: (call) => {
      const list = requireList(call.account, param(call.params, "list_id"));
      let fields = list.mergeFields;
      if (call.query.type !== undefined)
        fields = fields.filter((field) => field.type === call.query.type);

      return ok({
        merge_fields: page(fields, call.query).map((field) => serialize(call.apiBase, list, field)),
        list_id: list.id,
        total_items: fields.length,
        _links: [],
      });
    },
  },
  {
    method: "post",
    path: "/lists/{list_id}/merge-fields",
    handle: (call) => {
      const list = requireList(call.account, param(call.params, "list_id"));
      const body = call.body as TMergeFieldBody & { name: string; type: TMergeField["type"] };
      const mergeId = list.nextMergeId;
      const tag = (body.tag ?? `MERGE${mergeId}`).toUpperCase();
      checkTag(list, tag);
      const options = { ...DEFAULT_OPTIONS[body.type], ...body.options };
      checkChoices(body.type, options);

      const field: TMergeField = {
        merge_id: mergeId,
        tag,
        name: body.name,
        type: body.type,
        required: body.required ?? false,
        default_value: body.default_value ?? "",
        public: body.public ?? false,
        display_order: body.display_order ?? mergeId + 1,
        options,
        help_text: body.help_text ?? "",
      };
      list.nextMergeId += 1;
      list.mergeFields.push(field);
      for (const member of list.members.values()) member.merge_fields[tag] = field.default_value;

      return ok(serialize(call.apiBase, list, field));
    },
  },
  {
    method: "get",
    path: "/lists/{list_id}/merge-fields/{merge_id}",
    handle: (call) => {
      const { list, field } = requireField(call);

      return ok(serialize(call.apiBase, list, field));
    },
  },
  {
    method: "patch",
    path: "/lists/{list_id}/merge-fields/{merge_id}",
    handle: (call) => {
      const { list, field } = requireField(call);
      const body = call.body as TMergeFieldBody;
      if (body.tag !== undefined && body.tag.toUpperCase() !== field.tag) {
        const tag = body.tag.toUpperCase();
        checkTag(list, tag, field);
        for (const member of list.members.values()) {
          member.merge_fields[tag] = member.merge_fields[field.tag] ?? "";
          delete member.merge_fields[field.tag];
        }
        field.tag = tag;
      }
      if (body.name !== undefined) field.name = body.name;
      if (body.required !== undefined) field.required = body.required;
      if (body.default_value !== undefined) field.default_value = body.default_value;
      if (body.public !== undefined) field.public = body.public;
      if (body.display_order !== undefined) field.display_order = body.display_order;
      if (body.help_text !== undefined) field.help_text = body.help_text;
      if (body.options !== undefined) field.options = { ...field.options, ...body.options };
      checkChoices(field.type, field.options);

      return ok(serialize(call.apiBase, list, field));
    },
  },
  {
    method: "delete",
    path: "/lists/{list_id}/merge-fields/{merge_id}",
    handle: (call) => {
      const { list, field } = requireField(call);
      list.mergeFields = list.mergeFields.filter((candidate) => candidate !== field);
      for (const member of list.members.values()) delete member.merge_fields[field.tag];

      return noContent();
    },
  },
];
