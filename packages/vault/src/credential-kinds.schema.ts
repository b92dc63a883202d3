/**
 * The credential kinds the vault stores, one zod schema each. The schema is applied on the way in
 * (put) and again on the way out (get), so a client package always receives a well-formed payload
 * of the type it asked for. Which fields are secret decides what is registered with the logger's
 * scrubber; which field gives the hint decides what `describe` may show.
 */
import { z } from "zod";

import { VaultError } from "./vault.errors.js";

/** Keys, tokens and generated secrets never contain whitespace; a pasted newline is a mistake. */
const ZToken = z
  .string()
  .min(1, "required")
  .regex(/^\S+$/, "must not contain whitespace (check for a pasted space or line break)");

/** Passwords are taken as typed: leading or trailing spaces may be part of them. */
const ZPassword = z.string().min(1, "required");

const ZName = z.string().trim().min(1, "required");

/** Plex Customer Number, numeric: the X-Plex-Connect-Customer-Id header (plex-api.md). */
const ZPcn = z
  .string()
  .trim()
  .regex(/^\d{1,12}$/, "must be the numeric Plex Customer Number");

/**
 * Basic-auth users belong to one PCN. The UX data-source host is https://{PCN_Code}.on.plex.com
 * (plex-api.md, UX Data Source API), so a PCN code that forms a host name label is accepted too.
 */
const ZPcnOrCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, "must be a PCN number or PCN code");

/** Mailchimp data center, e.g. "us21" (mailchimp-api.md: API host {dc}.api.mailchimp.com). */
const ZDataCenter = z.string().regex(/^[a-z]{2,4}\d{1,3}$/, "must be a data center such as us21");

const ZHttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

export const CREDENTIAL_SCHEMAS = {
  /** Plex Connect REST: X-Plex-Connect-Api-Key (+ optional secret, tenant id, PCN headers). */
  plex_api_key: z.strictObject({
    apiKey: ZToken,
    apiSecret: ZToken.optional(),
    // X-Plex-Connect-Tenant-Id takes the tenant's UUID (plex-api.md).
    tenantId: z.guid("must be the tenant id, a UUID").optional(),
    pcn: ZPcn.optional(),
  }),
  /** OAuth 2.0 client credentials, for tenants fronted by an OAuth gateway. */
  plex_oauth_client: z.strictObject({
    clientId: ZName,
    clientSecret: ZToken,
    tokenUrl: ZHttpUrl,
    scope: z.string().trim().min(1).optional(),
  }),
  /** Plex Classic SOAP ExecuteDataSource: Basic auth of a web-service user of one PCN. */
  plex_soap_basic: z.strictObject({ username: ZName, password: ZPassword, pcn: ZPcnOrCode }),
  /** Plex UX data-source REST API: Basic auth, host https://{pcn}.on.plex.com. */
  plex_ux_basic: z.strictObject({ username: ZName, password: ZPassword, pcn: ZPcnOrCode }),
  /** Mailchimp Marketing API key; the data center is the suffix after the last dash. */
  mailchimp_api_key: z.strictObject({
    apiKey: ZToken.regex(/-[a-z]{2,4}\d{1,3}$/, "must end with its data center, e.g. -us21"),
  }),
  /** Mailchimp OAuth 2.0 access token (they do not expire) and the metadata endpoint's answer. */
  mailchimp_oauth: z.strictObject({
    accessToken: ZToken,
    dc: ZDataCenter,
    apiEndpoint: ZHttpUrl,
  }),
  /** The secret path segment of the Mailchimp list-webhook URL (the only protection it has). */
  webhook_secret: z.strictObject({
    secret: ZToken.min(16, "must be at least 16 characters (generate a random one)"),
  }),
  /** Mandrill webhook key: the HMAC-SHA1 key of X-Mandrill-Signature. */
  mandrill_webhook_key: z.strictObject({ key: ZToken }),
} as const;

export type TCredentialSchemas = typeof CREDENTIAL_SCHEMAS;
export type TCredentialKind = keyof TCredentialSchemas;
export type TCredentialPayloads = {
  [K in TCredentialKind]: z.infer<TCredentialSchemas[K]>;
};
export type TCredentialPayload<K extends TCredentialKind> = TCredentialPayloads[K];

export const CREDENTIAL_KINDS = Object.keys(CREDENTIAL_SCHEMAS) as TCredentialKind[];

export const ZCredentialKind = z.enum(CREDENTIAL_KINDS as [TCredentialKind, ...TCredentialKind[]]);

/** Fields whose values are secrets: registered with the log scrubber whenever they are read. */
const SECRET_FIELDS: { [K in TCredentialKind]: readonly (keyof TCredentialPayloads[K])[] } = {
  plex_api_key: ["apiKey", "apiSecret"],
  plex_oauth_client: ["clientSecret"],
  plex_soap_basic: ["password"],
  plex_ux_basic: ["password"],
  mailchimp_api_key: ["apiKey"],
  mailchimp_oauth: ["accessToken"],
  webhook_secret: ["secret"],
  mandrill_webhook_key: ["key"],
};

export function isCredentialKind(value: string): value is TCredentialKind {
  return Object.hasOwn(CREDENTIAL_SCHEMAS, value);
}

export function assertCredentialKind(kind: string, connectionId?: string): TCredentialKind {
  if (isCredentialKind(kind)) return kind;
  // The kind is a caller-supplied name, not a secret, so it may be quoted (cut to a sane length).
  throw new VaultError(
    "VAULT_UNKNOWN_KIND",
    `unknown credential kind "${kind.slice(0, 48)}" (known: ${CREDENTIAL_KINDS.join(", ")})`,
    { connectionId },
  );
}

/**
 * Validates a payload for `kind`. The error lists field paths and rules only: zod's messages
 * here never quote the input, and the input itself is never added.
 */
export function parseCredentialPayload<K extends TCredentialKind>(
  kind: K,
  payload: unknown,
  connectionId?: string,
): TCredentialPayload<K> {
  const result = CREDENTIAL_SCHEMAS[kind].safeParse(payload, { reportInput: false });
  if (result.success) return result.data as TCredentialPayload<K>;

  const problems = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(payload)";

    return `${field}: ${issue.message}`;
  });
  const forConnection = connectionId === undefined ? "" : ` for connection ${connectionId}`;
  throw new VaultError(
    "VAULT_INVALID_PAYLOAD",
    `invalid ${kind} credential${forConnection}: ${problems.join("; ")}`,
    { connectionId, kind },
  );
}

/** The secret strings of a payload, for the log scrubber. */
export function secretValuesOf<K extends TCredentialKind>(
  kind: K,
  payload: TCredentialPayload<K>,
): string[] {
  const values: string[] = [];
  for (const field of SECRET_FIELDS[kind]) {
    const value = payload[field];
    if (typeof value === "string") values.push(value);
  }

  return values;
}
