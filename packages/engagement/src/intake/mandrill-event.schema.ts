/**
 * Mandrill (Transactional) webhook events: one form field, `mandrill_events`, holding a JSON array
 * of at most 1000 events (reference mailchimp-api.md §5.2 (b), [MANDRILL] "Webhook Format").
 * Message events carry `event`, `ts`, `_id` and `msg`; sync events (blacklist, whitelist) carry
 * `type` and `action` instead. New keys may appear without notice, so objects stay open.
 */
import { z } from "zod";

import { isStorableText } from "./form-body.parser.js";
import { WebhookInputError } from "./webhook-input.error.js";

export const MAX_MANDRILL_EVENTS = 1_000;

const ZMessage = z.looseObject({
  _id: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
  subject: z.string().max(1_000).nullish(),
  sender: z.string().max(320).nullish(),
  tags: z.array(z.string().max(200)).max(100).nullish(),
  metadata: z.record(z.string().max(100), z.unknown()).nullish(),
  ts: z.number().nullish(),
});

export const ZMandrillMessageEvent = z.looseObject({
  event: z.string().min(1).max(32),
  _id: z.string().max(64).optional(),
  ts: z.number().int().nonnegative(),
  msg: ZMessage.optional(),
  url: z.string().max(4_000).nullish(),
});
export type TMandrillMessageEvent = z.infer<typeof ZMandrillMessageEvent>;

export const ZMandrillSyncEvent = z.looseObject({
  type: z.string().min(1).max(32),
  action: z.string().max(32).optional(),
  ts: z.number().int().nonnegative().optional(),
});

const ZMandrillEvent = z.union([ZMandrillMessageEvent, ZMandrillSyncEvent]);
export type TMandrillEvent = z.infer<typeof ZMandrillEvent>;

/** Every string in the document can be stored by Postgres (see form-body.parser.ts). */
function storable(value: unknown, depth = 0): boolean {
  if (depth > 20) return false;
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every((item) => storable(item, depth + 1));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).every(
      ([key, item]) => isStorableText(key) && storable(item, depth + 1),
    );
  }

  return true;
}

/** Parses and checks the `mandrill_events` field; throws WebhookInputError(400) when malformed. */
export function parseMandrillEvents(field: string): TMandrillEvent[] {
  let document: unknown;
  try {
    document = JSON.parse(field);
  } catch {
    throw new WebhookInputError(400, "mandrill_events is not JSON");
  }
  if (!Array.isArray(document)) throw new WebhookInputError(400, "mandrill_events is not an array");
  if (document.length > MAX_MANDRILL_EVENTS) {
    throw new WebhookInputError(400, `mandrill_events has more than ${MAX_MANDRILL_EVENTS} events`);
  }
  if (!storable(document)) {
    throw new WebhookInputError(400, "mandrill_events has characters that cannot be stored");
  }
  const result = z.array(ZMandrillEvent).safeParse(document, { reportInput: false });
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join(".") || "mandrill_events";
    throw new WebhookInputError(400, `not a Mandrill event: ${where}: ${issue?.message}`);
  }

  return result.data;
}

export function mandrillEventType(event: TMandrillEvent): string {
  return "event" in event && typeof event.event === "string"
    ? event.event
    : `sync:${(event as { type: string }).type}`.slice(0, 32);
}
