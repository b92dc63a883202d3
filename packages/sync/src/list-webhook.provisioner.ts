/**
 * The connection's Mailchimp list webhook, registered through the API (reference mailchimp-api.md
 * §5.1): the six list events, from subscribers ("user") and the web app ("admin") but not from
 * "api", so the connector's own member writes do not echo back as webhooks. Re-registered when it
 * is missing (Mailchimp disables a webhook that answered 410, or an admin deleted it), its flags
 * corrected when someone changed them, and webhooks of this connection at an older URL (a rotated
 * secret) removed.
 */
import type { MailchimpClient, TListWebhook } from "@ml-connector/mailchimp-client";
import { createWebhook, deleteWebhook, listWebhooks } from "@ml-connector/mailchimp-client";
import type { Logger } from "@ml-connector/runtime";

export const LIST_WEBHOOK_EVENTS = {
  subscribe: true,
  unsubscribe: true,
  profile: true,
  cleaned: true,
  upemail: true,
  campaign: true,
} as const;

export const LIST_WEBHOOK_SOURCES = { user: true, admin: true, api: false } as const;

export type TListWebhookOutcome = "present" | "created" | "updated";

export type TListWebhookTarget = {
  listId: string;
  /** The full URL, secret included. */
  url: string;
  /** Webhooks whose URL starts with this and differs from `url` are this connection's old ones. */
  ownedPrefix?: string;
};

function flagsMatch(actual: Record<string, boolean>, wanted: Record<string, boolean>): boolean {
  return Object.entries(wanted).every(([name, value]) => (actual[name] ?? false) === value);
}

export async function ensureListWebhook(
  mailchimp: MailchimpClient,
  target: TListWebhookTarget,
  log: Logger,
): Promise<TListWebhookOutcome> {
  const webhooks = await listWebhooks(mailchimp, target.listId);
  const current = webhooks.find((webhook: TListWebhook) => webhook.url === target.url);
  // Old URLs of this connection, and copies of the current one (two registrations that raced),
  // would each deliver every event again.
  const stale = webhooks.filter(
    (webhook) =>
      (webhook.url === target.url && webhook !== current) ||
      (target.ownedPrefix !== undefined &&
        webhook.url !== target.url &&
        webhook.url.startsWith(target.ownedPrefix)),
  );
  for (const webhook of stale) await deleteWebhook(mailchimp, target.listId, webhook.id);

  let outcome: TListWebhookOutcome = "present";
  if (current === undefined) {
    await createWebhook(mailchimp, target.listId, {
      url: target.url,
      events: { ...LIST_WEBHOOK_EVENTS },
      sources: { ...LIST_WEBHOOK_SOURCES },
    });
    outcome = "created";
  } else if (
    !flagsMatch(current.events, LIST_WEBHOOK_EVENTS) ||
    !flagsMatch(current.sources, LIST_WEBHOOK_SOURCES)
  ) {
    await mailchimp.patch(
      `/lists/${encodeURIComponent(target.listId)}/webhooks/${encodeURIComponent(current.id)}`,
      { events: LIST_WEBHOOK_EVENTS, sources: LIST_WEBHOOK_SOURCES },
    );
    outcome = "updated";
  }
  if (outcome !== "present" || stale.length > 0) {
    // The URL holds the secret: log the list and the outcome, never the URL.
    log.info(
      { listId: target.listId, outcome, removed: stale.length },
      "mailchimp list webhook ensured",
    );
  }

  return outcome;
}
