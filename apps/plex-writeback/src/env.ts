/** Configuration of plex-writeback; the shared variables are documented in @ml-connector/runtime. */
import { z } from "zod";

import { ZCommonEnv } from "@ml-connector/runtime";

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "1h,6h,1d,3d,7d" → milliseconds, increasing. */
const ZIntervals = z.string().transform((text, ctx) => {
  const values = text.split(",").map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(part);

    return match === null ? Number.NaN : Number(match[1]) * UNITS[match[2]!]!;
  });
  if (values.some((value) => Number.isNaN(value)) || values.length === 0 || values.length > 20) {
    ctx.addIssue({ code: "custom", message: 'must be a list such as "1h,6h,1d,3d,7d"' });

    return z.NEVER;
  }
  if (values.some((value, index) => index > 0 && value <= values[index - 1]!)) {
    ctx.addIssue({ code: "custom", message: "intervals must increase" });

    return z.NEVER;
  }

  return values;
});

export const ZEnv = ZCommonEnv.extend({
  // Port of the health, readiness and metrics endpoints.
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8084),
  // Where Mailchimp reaches the webhook receiver; list webhooks are registered under it.
  WEBHOOK_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ""))
    .default("http://localhost:8083"),
  // Report rounds after a campaign is sent (opens and clicks come only from the Reports API).
  REPORT_COLLECTION_INTERVALS: ZIntervals.default([
    3_600_000, 21_600_000, 86_400_000, 259_200_000, 604_800_000,
  ]),
  // A customer's activity writes wait this long for more events, so a burst costs one call.
  WRITE_DEBOUNCE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  // Jobs at once per queue.
  INBOX_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  // How often the list webhooks of every connection are checked (and re-registered if missing).
  WEBHOOK_CHECK_MS: z.coerce.number().int().min(1_000).default(600_000),
  // How often pending inbox rows, interactions and overdue report rounds are swept up, and how
  // old they must be to count as left behind.
  SWEEP_MS: z.coerce.number().int().min(500).default(60_000),
  SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(120_000),
  // Plex Activity Manager values; the allowed ones are tenant set-up lists (plex-api.md §4).
  PLEX_ACTIVITY_TYPE: z.string().min(1).max(100).default("Email Marketing"),
  PLEX_ACTIVITY_STATUS: z.string().min(1).max(100).default("Completed"),
  // Comments kept per activity (every PUT carries all of them).
  PLEX_ACTIVITY_MAX_COMMENTS: z.coerce.number().int().min(10).max(5_000).default(500),
});
export type TEnv = z.infer<typeof ZEnv>;
