/**
 * Audiences: GET/POST /lists, GET /lists/{list_id}, and batch subscribe on POST /lists/{list_id}.
 */
import { ok, page, type TApiRoute } from "../api/api-route.js";
import { createAudience } from "./audience.factory.js";
import { batchSubscribe, batchSubscribeUnits } from "./batch-subscribe.handler.js";
import { param, requireList } from "./list.lookup.js";
import { serializeList } from "./list.serializer.js";

type TListBody = {
  name: string;
  contact: Record<string, string>;
  permission_reminder: string;
  campaign_defaults: Record<string, string>;
  email_type_option: boolean;
  double_optin?: boolean;
};

export const LIST_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/lists",
    handle: (call) => {
      let lists = [...call.account.lists.values()];
      const email = call.query.email?.toLowerCase();
      if (email !== undefined) {
        lists = lists.filter((list) =>
          [...list.members.values()].some((member) => member.email_address.toLowerCase() === email),
        );
      }

      return ok({
        lists: page(lists, call.query).map((list) =>
          serializeList(call.apiBase, call.account, list),
        ),
        total_items: lists.length,
        constraints: {
          may_create: true,
          max_instances: 100,
          current_total_instances: lists.length,
        },
        _links: [],
      });
    },
  },
  {
    method: "post",
    path: "/lists",
    handle: (call, ctx) => {
      const body = call.body as TListBody;
      const list = createAudience({
        id: ctx.ids.hex(10),
        webId: ctx.ids.nextWebId(),
        name: body.name,
        createdAt: ctx.clock.isoNow(),
        contact: body.contact,
        permissionReminder: body.permission_reminder,
        campaignDefaults: body.campaign_defaults,
        emailTypeOption: body.email_type_option,
        doubleOptin: body.double_optin,
      });
      call.account.lists.set(list.id, list);

      return ok(serializeList(call.apiBase, call.account, list));
    },
  },
  {
    method: "get",
    path: "/lists/{list_id}",
    handle: (call) =>
      ok(
        serializeList(
          call.apiBase,
          call.account,
          requireList(call.account, param(call.params, "list_id")),
        ),
      ),
  },
  {
    method: "post",
    path: "/lists/{list_id}",
    handle: batchSubscribe,
    latencyUnits: batchSubscribeUnits,
  },
];
