/** Configuration of the mailchimp-sandbox service (src/main.ts); tests use the options instead. */
import { z } from "zod";

const csvNumbers = z
  .string()
  .regex(/^\d+(,\d+)*$/)
  .transform((value) => value.split(",").map(Number));

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // trace, debug, info, warn, error, fatal or silent
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // Interface and port the sandbox listens on.
  HTTP_HOST: z.string().default("0.0.0.0"),
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8092),
  // URL clients reach the sandbox at, when not http://localhost:PORT (response_body_url, OAuth).
  MAILCHIMP_SANDBOX_PUBLIC_URL: z.url().optional(),
  // Seed of generated ids and simulated engagement.
  MAILCHIMP_SANDBOX_SEED: z.string().min(1).default("mailchimp-sandbox"),
  // Latency model (../shared/DESIGN.md): per request, and per member of a batch subscribe.
  MAILCHIMP_SANDBOX_LATENCY_MS: z.coerce.number().min(0).default(120),
  MAILCHIMP_SANDBOX_LATENCY_PER_MEMBER_MS: z.coerce.number().min(0).default(2),
  // /batches speed per account, one job at a time.
  MAILCHIMP_SANDBOX_BATCH_OPS_PER_SECOND: z.coerce.number().positive().default(200),
  // Simultaneous requests per account before 429 (Mailchimp: 10).
  MAILCHIMP_SANDBOX_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10),
  // Answer over the limit: 429, a body-less 403, or mixed.
  MAILCHIMP_SANDBOX_OVERLOAD_RESPONSE: z.enum(["429", "403", "mixed"]).default("429"),
  // Webhook retry delays in ms, comma-separated (default: Mailchimp's 75 minutes).
  MAILCHIMP_SANDBOX_WEBHOOK_RETRY_MS: csvNumbers.optional(),
  // Sandbox-mode API key of the pre-created account; its suffix is the data center.
  MAILCHIMP_SANDBOX_API_KEY: z
    .string()
    .regex(/^[0-9a-f]{32}-[a-z]+\d+$/)
    .default("00000000000000000000000000000000-us21"),
});
export type TEnv = z.infer<typeof ZEnv>;
