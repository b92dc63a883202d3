/**
 * Builds Mandrill message events in the documented shape ([MANDRILL] "Message Event Webhook
 * Format"; ramonsmits gist, telegraf testdata, reference §5.2 (b)): `event`, `_id`, `ts` (Unix
 * seconds), `msg` with `email`, `subject`, `sender`, `tags`, `metadata`, `state`, `opens`,
 * `clicks`, plus `ip`, `user_agent`, `location` for opens and clicks and `url` for clicks.
 */
import { z } from "zod";

import type { SandboxContext } from "../sandbox-context.js";
import type { TMandrillEvent } from "../webhooks/mandrill.dispatcher.js";

export const ZMandrillEventInput = z.object({
  event: z.enum([
    "send",
    "deferral",
    "hard_bounce",
    "soft_bounce",
    "open",
    "click",
    "spam",
    "unsub",
    "reject",
  ]),
  email: z.string().min(3).max(254),
  subject: z.string().max(500).default("Your order has shipped"),
  sender: z.string().max(254).default("orders@sandbox-manufacturing.com"),
  tags: z.array(z.string().max(100)).max(20).default([]),
  metadata: z.record(z.string(), z.string()).default({}),
  url: z.url().optional(),
  // Unix seconds; the sandbox clock when absent.
  ts: z.number().int().positive().optional(),
});
export type TMandrillEventInput = z.input<typeof ZMandrillEventInput>;

export function buildMandrillEvent(
  ctx: SandboxContext,
  input: z.output<typeof ZMandrillEventInput>,
): TMandrillEvent {
  const ts = input.ts ?? Math.floor(ctx.clock.nowMs() / 1000);
  const messageId = ctx.ids.hex(32);
  const engaged = input.event === "open" || input.event === "click";
  const url = input.url ?? "https://www.sandbox-manufacturing.com/track";

  const event: TMandrillEvent = {
    event: input.event,
    _id: messageId,
    ts,
    msg: {
      ts: ts - 60,
      _id: messageId,
      state: input.event === "hard_bounce" || input.event === "soft_bounce" ? "bounced" : "sent",
      subject: input.subject,
      email: input.email,
      sender: input.sender,
      tags: input.tags,
      metadata: input.metadata,
      opens: engaged ? [{ ts }] : [],
      clicks: input.event === "click" ? [{ ts, url }] : [],
      smtp_events: [],
      resends: [],
      _version: ctx.ids.hex(22),
    },
  };
  if (engaged) {
    event.ip = "198.51.100.23";
    event.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)";
    event.location = {
      country_short: "US",
      country: "United States",
      region: "Michigan",
      city: "Detroit",
      latitude: 42.33,
      longitude: -83.05,
      postal_code: "48201",
      timezone: "-05:00",
    };
  }
  if (input.event === "click") event.url = url;

  return event;
}
