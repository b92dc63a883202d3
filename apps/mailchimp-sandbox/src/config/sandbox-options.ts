/**
 * Everything a test, a benchmark or the service entry point can tune. Defaults are the documented
 * latency model (../shared/DESIGN.md "Latency model": 120 ms per request, 2 ms per member of a
 * batch subscribe, /batches at 200 operations per second one job at a time per account) and the
 * limits of the real service. Changing a default is a decision to record in the README.
 */
import { z } from "zod";

/** Sandbox-mode credentials; documented in the README so a new user can paste them. */
export const DEFAULT_API_KEY = "00000000000000000000000000000000-us21";
export const DEFAULT_LIST_ID = "a1b2c3d4e5";
export const DEFAULT_STORE_ID = "plex-sandbox-store";
export const DEFAULT_OAUTH_CLIENT_ID = "123456789012";
export const DEFAULT_OAUTH_CLIENT_SECRET = "sandbox-oauth-client-secret-0000000000000000000000";

/** "Retries happen at increasing intervals over the course of 75 minutes" ([WH], §5.1). */
const MAILCHIMP_RETRY_SCHEDULE_MS = [60_000, 120_000, 240_000, 480_000, 900_000, 2_700_000];

export const ZSandboxOptions = z.object({
  // Interface and port of the HTTP server; port 0 picks a free port.
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65_535).default(0),
  // Base URL clients reach the sandbox at, when it is not http://host:port (a proxy, a container).
  publicUrl: z.url().optional(),
  // Seed of every generated id and of simulated engagement: same seed, same run.
  seed: z.string().min(1).default("mailchimp-sandbox"),
  latency: z
    .object({
      perRequestMs: z.number().min(0).default(120),
      perBatchMemberMs: z.number().min(0).default(2),
    })
    .prefault({}),
  connections: z
    .object({
      // [FUND]: "a limit of 10 simultaneous connections".
      maxPerAccount: z.number().int().min(1).default(10),
      // What a request over the limit gets: 429 problem+json, a body-less 403, or either.
      overloadResponse: z.enum(["429", "403", "mixed"]).default("429"),
      // Share of body-less 403s when overloadResponse is "mixed".
      forbiddenShare: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
  // Answer for a key sent to another data center: 401 "API Key Invalid" or 403 "Wrong Datacenter".
  wrongDataCenterStatus: z.enum(["401", "403"]).default("401"),
  batches: z
    .object({
      operationsPerSecond: z.number().positive().default(200),
      // Simulated time spent in "pending" and in "preprocessing" before operations start.
      phaseDelayMs: z.number().min(0).default(0),
      maxOperations: z.number().int().positive().default(100_000),
    })
    .prefault({}),
  webhooks: z
    .object({
      // [WH]: a delivery not answered within 10 s is cancelled and retried later.
      timeoutMs: z.number().int().positive().default(10_000),
      validationTimeoutMs: z.number().int().positive().default(10_000),
      // Delays (simulated ms) before each retry; the delivery is dropped after the last one.
      retryScheduleMs: z.array(z.number().int().min(0)).default(MAILCHIMP_RETRY_SCHEDULE_MS),
    })
    .prefault({}),
  mandrill: z
    .object({
      timeoutMs: z.number().int().positive().default(10_000),
      retryScheduleMs: z.array(z.number().int().min(0)).default(MAILCHIMP_RETRY_SCHEDULE_MS),
    })
    .prefault({}),
  emails: z
    .object({
      // Mailchimp's "looks fake or invalid" heuristic; off only for load tests with made-up data.
      rejectFakeEmails: z.boolean().default(true),
      extraFakeDomains: z.array(z.string()).default([]),
    })
    .prefault({}),
  limits: z
    .object({
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(20 * 1024 * 1024),
      // Bound on one stored record (member, customer, product, order) as JSON.
      maxRecordBytes: z
        .number()
        .int()
        .positive()
        .default(64 * 1024),
      // [SPEC]: "Up to 500 members may be added or updated with each API call".
      maxBatchSubscribeMembers: z.number().int().positive().default(500),
      // Deliveries, requests and archives kept for inspection (ring buffers).
      maxLoggedDeliveries: z.number().int().positive().default(2_000),
    })
    .prefault({}),
  defaults: z
    .object({
      // Sandbox mode: one account, one audience and a store bound to it, ready to use.
      createDefaultAccount: z.boolean().default(true),
      apiKey: z
        .string()
        .regex(/^[0-9a-f]{32}-[a-z]+\d+$/)
        .default(DEFAULT_API_KEY),
      listId: z.string().default(DEFAULT_LIST_ID),
      storeId: z.string().default(DEFAULT_STORE_ID),
      oauthClientId: z.string().default(DEFAULT_OAUTH_CLIENT_ID),
      oauthClientSecret: z.string().default(DEFAULT_OAUTH_CLIENT_SECRET),
    })
    .prefault({}),
});

export type TSandboxOptionsInput = z.input<typeof ZSandboxOptions>;
export type TSandboxOptions = z.output<typeof ZSandboxOptions>;
