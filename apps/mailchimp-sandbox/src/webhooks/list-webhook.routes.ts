/**
 * List webhooks: POST/GET /lists/{list_id}/webhooks and GET/PATCH/DELETE by id (reference §5.1).
 * Registration first sends Mailchimp's validation GET to the URL and fails with "We couldn't
 * verify the URL is working. Please double check and try again. HTTP Code: <code>" unless it
 * answers 2xx (codegen#11, pipedream#1289). Two webhooks of one list may not share a URL, even
 * with different query strings (codegen#11 comment).
 */
import { noContent, ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { resourceLinks } from "../api/links.js";
import { problems } from "../http/api-problem.js";
import { param, requireList } from "../lists/list.lookup.js";
import type { SandboxContext } from "../sandbox-context.js";
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SOURCES,
  type TAudience,
  type TListWebhook,
  type TWebhookEventType,
  type TWebhookSource,
} from "../state/audience.model.js";

type TWebhookBody = {
  url?: string;
  events?: Partial<Record<TWebhookEventType, boolean>>;
  sources?: Partial<Record<TWebhookSource, boolean>>;
};

function serialize(
  apiBase: string,
  list: TAudience,
  webhook: TListWebhook,
): Record<string, unknown> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: { ...webhook.events },
    sources: { ...webhook.sources },
    list_id: list.id,
    _links: resourceLinks(
      apiBase,
      `/lists/${list.id}/webhooks/${webhook.id}`,
      `/lists/${list.id}/webhooks`,
    ),
  };
}

/**
 * Flags of a new webhook: all on when the object is omitted, as the web app's form starts;
 * when given, unnamed flags are off. On PATCH, unnamed flags keep their value. (The API's
 * defaults are not documented; README "Simulated quirks".)
 */
function flags<K extends string>(
  keys: readonly K[],
  given: Partial<Record<K, boolean>> | undefined,
  current?: Record<K, boolean>,
): Record<K, boolean> {
  const out = {} as Record<K, boolean>;
  for (const key of keys) out[key] = given?.[key] ?? current?.[key] ?? given === undefined;

  return out;
}

async function checkUrl(
  ctx: SandboxContext,
  list: TAudience,
  url: string | undefined,
  except?: TListWebhook,
) {
  if (url === undefined || url === "") {
    throw problems.invalidResource([
      { field: "", message: "Required fields were not provided: url" },
    ]);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problems.invalidResource([{ field: "url", message: "Please enter a valid URL" }]);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw problems.invalidResource([{ field: "url", message: "Please enter a valid URL" }]);
  }
  const withoutQuery = `${parsed.origin}${parsed.pathname}`;
  for (const webhook of list.webhooks.values()) {
    if (webhook === except) continue;
    const other = new URL(webhook.url);
    if (`${other.origin}${other.pathname}` === withoutQuery) {
      throw problems.invalidResourceDetail("A webhook with this URL already exists for this list.");
    }
  }

  const check = await ctx.listWebhooks.validateUrl(url);
  if (!check.ok) {
    throw problems.invalidResourceDetail(
      "We couldn't verify the URL is working. Please double check and try again. " +
        `HTTP Code: ${check.status ?? 0}`,
    );
  }
}

function requireWebhook(call: TApiCall): { list: TAudience; webhook: TListWebhook } {
  const list = requireList(call.account, param(call.params, "list_id"));
  const webhook = list.webhooks.get(param(call.params, "webhook_id"));
  if (webhook === undefined) throw problems.notFound();

  return { list, webhook };
}

export const LIST_WEBHOOK_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/lists/{list_id}/webhooks",
    handle: (call) => {
      const list = requireList(call.account, param(call.params, "list_id"));
      const webhooks = [...list.webhooks.values()];

      return ok({
        webhooks: page(webhooks, { ...call.query, count: call.query.count ?? "1000" }).map(
          (webhook) => serialize(call.apiBase, list, webhook),
        ),
        list_id: list.id,
        total_items: webhooks.length,
        _links: [],
      });
    },
  },
  {
    method: "post",
    path: "/lists/{list_id}/webhooks",
    handle: async (call, ctx) => {
      const list = requireList(call.account, param(call.params, "list_id"));
      const body = call.body as TWebhookBody;
      await checkUrl(ctx, list, body.url, undefined);

      const webhook: TListWebhook = {
        id: ctx.ids.hex(10),
        url: body.url ?? "",
        events: flags(WEBHOOK_EVENT_TYPES, body.events),
        sources: flags(WEBHOOK_SOURCES, body.sources),
        disabled: false,
      };
      list.webhooks.set(webhook.id, webhook);
      ctx.log.info({ listId: list.id, webhookId: webhook.id }, "list webhook registered");

      return ok(serialize(call.apiBase, list, webhook));
    },
  },
  {
    method: "get",
    path: "/lists/{list_id}/webhooks/{webhook_id}",
    handle: (call) => {
      const { list, webhook } = requireWebhook(call);

      return ok(serialize(call.apiBase, list, webhook));
    },
  },
  {
    method: "patch",
    path: "/lists/{list_id}/webhooks/{webhook_id}",
    handle: async (call, ctx) => {
      const { list, webhook } = requireWebhook(call);
      const body = call.body as TWebhookBody;
      if (body.url !== undefined && body.url !== webhook.url) {
        await checkUrl(ctx, list, body.url, webhook);
        webhook.url = body.url;
      }
      webhook.events = flags(WEBHOOK_EVENT_TYPES, body.events, webhook.events);
      webhook.sources = flags(WEBHOOK_SOURCES, body.sources, webhook.sources);

      return ok(serialize(call.apiBase, list, webhook));
    },
  },
  {
    method: "delete",
    path: "/lists/{list_id}/webhooks/{webhook_id}",
    handle: (call) => {
      const { list, webhook } = requireWebhook(call);
      list.webhooks.delete(webhook.id);

      return noContent();
    },
  },
];
