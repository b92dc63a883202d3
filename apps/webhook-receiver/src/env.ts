/** Configuration of webhook-receiver; the shared variables are documented in @ml-connector/runtime. */
import { z } from "zod";

import { ZCommonEnv } from "@ml-connector/runtime";

export const ZEnv = ZCommonEnv.extend({
  // Port of the webhook routes and the health, readiness and metrics endpoints.
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8083),
  // Scheme, host and path prefix under which Mailchimp and Mandrill reach this service, e.g.
  // https://hooks.example.com. Mandrill signs this URL + the path as received; the list webhooks
  // are registered as <this>/webhooks/mailchimp/<connection>/<secret>.
  WEBHOOK_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ""))
    .default("http://localhost:8083"),
  // Largest Mailchimp list-webhook body; a delivery is a few hundred bytes.
  WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(1_048_576).default(65_536),
  // Largest Mandrill body: up to 1000 events of a few kilobytes each.
  MANDRILL_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(33_554_432).default(8_388_608),
  // Group commit: most inbox rows in one INSERT, and INSERTs in flight at once.
  INBOX_MAX_BATCH: z.coerce.number().int().min(1).max(5_000).default(500),
  INBOX_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(4).default(2),
  // How long a connection's secrets and state are cached (a rotated secret takes this long).
  ENDPOINT_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
});
export type TEnv = z.infer<typeof ZEnv>;
