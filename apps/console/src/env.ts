/** Configuration of the console; the shared variables are documented in @ml-connector/runtime. */
import { z } from "zod";

import { ZCommonEnv } from "@ml-connector/runtime";

const ZBoolean = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((value) => value === "true" || value === "1");

export const ZEnv = ZCommonEnv.extend({
  // Port of the console (pages, API, Bull Board) and its health/metrics endpoints.
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  // The operator account. There is no open mode: without a password the console does not start.
  CONSOLE_USERNAME: z.string().min(1).max(64).default("admin"),
  CONSOLE_PASSWORD: z.string().min(12, "must be at least 12 characters"),
  // Signs session cookies. When unset, a random one is made at start (sessions end on restart).
  CONSOLE_SESSION_SECRET: z.string().min(32).optional(),
  // Hours a login lasts.
  CONSOLE_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  // Lets operators retry, promote and remove jobs from Bull Board. Read-only by default.
  CONSOLE_BULL_BOARD_WRITABLE: ZBoolean,
  // Set "true" when the console is served over HTTPS, so cookies are marked Secure.
  CONSOLE_SECURE_COOKIES: ZBoolean,
  // Address operators' browsers reach the console at; the Mailchimp OAuth redirect goes here.
  CONSOLE_PUBLIC_URL: z.url().default("http://127.0.0.1:8080"),
  // The Mailchimp OAuth app (Mailchimp: Profile → Extras → Registered apps). Optional: without
  // it, Mailchimp connects with an API key only.
  MAILCHIMP_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  MAILCHIMP_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
});
export type TEnv = z.infer<typeof ZEnv>;
