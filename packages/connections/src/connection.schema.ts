/**
 * What an operator gives to create or change a connection: one Plex tenant, one Mailchimp
 * audience (and its e-commerce store), credentials for both, the plant's time zone, schedules
 * and options. Secrets in here go straight to the vault; everything else to the connections row.
 */
import { z } from "zod";

import { PLEX_STREAMS } from "@ml-connector/queues";

const ZTimezone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });

    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as America/Detroit");

const ZHttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

export const ZPlexAuthInput = z.discriminatedUnion("scheme", [
  z.object({
    scheme: z.literal("api_key"),
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1).optional(),
  }),
  z.object({
    scheme: z.literal("oauth_client_credentials"),
    tokenUrl: ZHttpUrl,
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scope: z.string().min(1).optional(),
  }),
  z.object({
    scheme: z.literal("soap_basic"),
    username: z.string().min(1),
    password: z.string().min(1),
    soapUrl: ZHttpUrl.default("https://api.plexonline.com/DataSource/Service.asmx"),
  }),
  z.object({
    scheme: z.literal("ux_basic"),
    username: z.string().min(1),
    password: z.string().min(1),
    /** {pcn} is replaced by the PCN code: https://{pcn}.on.plex.com */
    uxBaseTemplate: z.string().min(1).default("https://{pcn}.on.plex.com"),
  }),
]);
export type TPlexAuthInput = z.infer<typeof ZPlexAuthInput>;

export const ZMailchimpAuthInput = z.discriminatedUnion("scheme", [
  z.object({ scheme: z.literal("api_key"), apiKey: z.string().min(1) }),
  // The token arrives later, through the console's OAuth connect flow.
  z.object({ scheme: z.literal("oauth") }),
]);
export type TMailchimpAuthInput = z.infer<typeof ZMailchimpAuthInput>;

/** Cron pattern (5 or 6 fields) evaluated in the connection's time zone. */
const ZCron = z
  .string()
  .trim()
  .refine((value) => [5, 6].includes(value.split(/\s+/).length), "must be a cron pattern");

export const ZStreamSchedule = z.object({
  pattern: ZCron,
  enabled: z.boolean().default(true),
});

/** A recurring window with no polling, e.g. month-end close: starts on `pattern`, lasts `minutes`. */
export const ZBlackout = z.object({
  name: z.string().min(1).max(80),
  pattern: ZCron,
  minutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 7),
});

export const ZSchedules = z.object({
  streams: z.partialRecord(z.enum(PLEX_STREAMS), ZStreamSchedule).default({}),
  blackouts: z.array(ZBlackout).default([]),
});
export type TSchedules = z.infer<typeof ZSchedules>;

export const ZConnectionOptions = z.object({
  /** Mailchimp status for members new to the audience; existing members keep theirs. */
  statusIfNew: z.enum(["subscribed", "transactional"]).default("subscribed"),
  /** Prefix of the tags the connector manages; tags without it belong to Mailchimp users. */
  tagPrefix: z.string().min(1).max(20).default("plex:"),
  includeContacts: z.boolean().default(true),
  includeInactiveCustomers: z.boolean().default(false),
  currencyCode: z.string().length(3).default("USD"),
  /** Calls per minute this connection's Plex key may make (Plex allows about 200). */
  plexCallsPerMinute: z.number().int().min(1).max(200).default(190),
  /** Requests in flight per Mailchimp account (Mailchimp allows 10). */
  mailchimpMaxInFlight: z.number().int().min(1).max(10).default(8),
  /** Data sources used when Plex is reached through SOAP or UX data sources. */
  dataSources: z
    .object({ customers: z.number().int().positive(), salesOrders: z.number().int().positive() })
    .partial()
    .default({}),
});
export type TConnectionOptions = z.infer<typeof ZConnectionOptions>;

export const ZConnectionInput = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be lower-case letters, digits and dashes")
    .optional(),
  name: z.string().trim().min(1).max(200),
  mode: z.enum(["sandbox", "live"]).default("live"),
  timezone: ZTimezone.default("UTC"),
  plex: z.object({
    baseUrl: ZHttpUrl.default("https://connect.plex.com"),
    tenantId: z.guid().optional(),
    pcn: z.string().trim().min(1).max(32).optional(),
    auth: ZPlexAuthInput,
  }),
  mailchimp: z.object({
    apiBaseTemplate: z.string().min(1).default("https://{dc}.api.mailchimp.com/3.0"),
    loginBaseUrl: ZHttpUrl.default("https://login.mailchimp.com"),
    listId: z.string().trim().min(1).max(64),
    storeId: z.string().trim().min(1).max(50).optional(),
    auth: ZMailchimpAuthInput,
  }),
  schedules: ZSchedules.default({ streams: {}, blackouts: [] }),
  options: ZConnectionOptions.default(ZConnectionOptions.parse({})),
});
export type TConnectionInput = z.input<typeof ZConnectionInput>;
export type TConnectionConfig = z.output<typeof ZConnectionInput>;

/** Changes to an existing connection: any top-level part, credentials included. */
export const ZConnectionPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  timezone: ZTimezone.optional(),
  status: z.enum(["active", "paused"]).optional(),
  plex: ZConnectionInput.shape.plex.optional(),
  mailchimp: ZConnectionInput.shape.mailchimp.optional(),
  schedules: ZSchedules.optional(),
  options: ZConnectionOptions.partial().optional(),
});
export type TConnectionPatch = z.input<typeof ZConnectionPatch>;
