/**
 * Mailchimp list-webhook deliveries, as parsed from the form body (reference mailchimp-api.md §5.1
 * sample payloads): `type`, `fired_at` ("YYYY-MM-DD HH:MM:SS", not ISO 8601) and `data[...]`
 * per type. Extra keys Mailchimp may add are kept; missing required ones make the body malformed.
 */
import { z } from "zod";

import { WebhookInputError } from "./webhook-input.error.js";

/** The event types the connector registers (and so may receive). */
export const LIST_EVENT_TYPES = [
  "subscribe",
  "unsubscribe",
  "profile",
  "cleaned",
  "upemail",
  "campaign",
] as const;
export type TListEventType = (typeof LIST_EVENT_TYPES)[number];

/**
 * Documented (BETA) types the connector does not register. If an operator ticks them in
 * Mailchimp's web app, they are acknowledged and dropped rather than refused, so Mailchimp does
 * not retry them for 75 minutes (reference reliability-practice.md §1.3, unknown types).
 */
export const IGNORED_LIST_EVENT_TYPES = [
  "sms_subscribe",
  "sms_unsubscribe",
  "upsms",
  "sms_campaign",
] as const;

const FIRED_AT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const ZFiredAt = z.string().refine((value) => firedAtDate(value) !== undefined, {
  message: 'must be "YYYY-MM-DD HH:MM:SS"',
});

/**
 * `fired_at` as a date. Mailchimp does not state a zone; the samples and the sandbox use UTC.
 * TODO(#7): confirm the zone of fired_at on a live account (reference §5.1 gives none).
 */
export function firedAtDate(value: string): Date | undefined {
  const match = FIRED_AT.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour
  ) {
    return undefined;
  }

  return date;
}

const text = (max: number) => z.string().max(max);
const ZEmail = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+$/, "must be an e-mail address");

/** Merge values: text, or a group such as ADDRESS with addr1, city, zip… */
const ZMerges = z
  .record(z.string().max(64), z.union([text(2_000), z.record(z.string().max(32), text(500))]))
  .refine((merges) => Object.keys(merges).length <= 100, "too many merge fields");

const ZMemberData = z.looseObject({
  id: text(64).optional(),
  list_id: text(64),
  email: ZEmail,
  email_type: text(16).optional(),
  merges: ZMerges.optional(),
  ip_opt: text(64).optional(),
  ip_signup: text(64).optional(),
  web_id: text(32).optional(),
});

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.looseObject({ type: z.literal(type), fired_at: ZFiredAt, data });

export const ZListEvent = z.discriminatedUnion("type", [
  envelope("subscribe", ZMemberData),
  envelope("profile", ZMemberData),
  envelope(
    "unsubscribe",
    ZMemberData.extend({
      action: text(16).optional(),
      reason: text(200).optional(),
      campaign_id: text(64).optional(),
    }),
  ),
  envelope(
    "cleaned",
    z.looseObject({
      list_id: text(64),
      campaign_id: text(64).optional(),
      reason: text(200).optional(),
      email: ZEmail,
    }),
  ),
  envelope(
    "upemail",
    z.looseObject({
      list_id: text(64),
      new_id: text(64).optional(),
      new_email: ZEmail,
      old_email: ZEmail,
    }),
  ),
  envelope(
    "campaign",
    z.looseObject({
      id: text(64).min(1),
      subject: text(300).optional(),
      status: text(32),
      reason: text(300).optional(),
      list_id: text(64),
    }),
  ),
]);
export type TListEvent = z.infer<typeof ZListEvent>;

export type TListEventCheck =
  { outcome: "event"; event: TListEvent; firedAt: Date } | { outcome: "ignored"; type: string };

/** Validates a parsed delivery; throws WebhookInputError(400) naming the first problem. */
export function checkListEvent(form: unknown): TListEventCheck {
  const type = typeof form === "object" && form !== null ? (form as { type?: unknown }).type : "";
  if ((IGNORED_LIST_EVENT_TYPES as readonly unknown[]).includes(type)) {
    return { outcome: "ignored", type: type as string };
  }
  const result = ZListEvent.safeParse(form, { reportInput: false });
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join(".") || "body";
    throw new WebhookInputError(400, `not a Mailchimp list event: ${where}: ${issue?.message}`);
  }

  return { outcome: "event", event: result.data, firedAt: firedAtDate(result.data.fired_at)! };
}
