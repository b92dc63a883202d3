/**
 * Configuration of the plex-sandbox service. It needs neither Redis nor Postgres, so it reads
 * only its own variables (plus the logging and shutdown ones every service has).
 */
import { z } from "zod";

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // Interface and port the simulator listens on (Connect, SOAP, UX, OAuth, /_sandbox, health).
  HTTP_HOST: z.string().default("0.0.0.0"),
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8091),
  // Milliseconds a SIGTERM may take before the process exits anyway.
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(8_000),
  // Seed and size of the generated plant: the same values always give the same data.
  PLEX_SANDBOX_SEED: z.coerce.number().int().default(1),
  PLEX_SANDBOX_CUSTOMERS: z.coerce.number().int().min(0).max(5_000_000).default(250),
  // Application key accepted in X-Plex-Connect-Api-Key (public in sandbox mode).
  PLEX_SANDBOX_API_KEY: z.string().min(8).default("sandbox-plex-key"),
  // Company code (UX host name) and PCN number of the sandbox tenant.
  PLEX_SANDBOX_TENANT_CODE: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("mlcdemo"),
  PLEX_SANDBOX_PCN: z.string().regex(/^\d+$/).default("310519"),
  // Lifetime of the OAuth bearer tokens, in seconds.
  PLEX_SANDBOX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(1).default(3_600),
  // Latency model (DESIGN.md): per call and per returned row.
  PLEX_SANDBOX_LATENCY_BASE_MS: z.coerce.number().min(0).default(150),
  PLEX_SANDBOX_LATENCY_PER_ROW_MS: z.coerce.number().min(0).default(0.05),
  // Calls per key per minute (sliding window).
  PLEX_SANDBOX_RATE_LIMIT: z.coerce.number().int().min(1).default(200),
});
export type TEnv = z.infer<typeof ZEnv>;
