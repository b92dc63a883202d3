/**
 * How a Mailchimp account is reached. An API key carries its data center after the last dash
 * (`…-us21` → https://us21.api.mailchimp.com/3.0) and is sent as the Basic-auth password with any
 * user name; an OAuth token is sent as a Bearer token, its data center taken from the metadata
 * endpoint at connect time (reference mailchimp-api.md §1).
 */
import { createHash } from "node:crypto";

export type TMailchimpAuth =
  { scheme: "api_key"; apiKey: string } | { scheme: "oauth"; accessToken: string; dc: string };

export const DEFAULT_API_BASE_TEMPLATE = "https://{dc}.api.mailchimp.com/3.0";

export class MailchimpConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MailchimpConfigError";
  }
}

/** The data center of an API key; a key without one is refused with a clear message. */
export function dataCenterFromApiKey(apiKey: string): string {
  const dash = apiKey.lastIndexOf("-");
  const dc = dash < 0 ? "" : apiKey.slice(dash + 1);
  if (!/^[a-z]{2,}\d+$/.test(dc)) {
    throw new MailchimpConfigError(
      "the Mailchimp API key has no data-center suffix (it should end like -us21): " +
        "copy the whole key from Account → Extras → API keys",
    );
  }

  return dc;
}

export function dataCenterOf(auth: TMailchimpAuth): string {
  return auth.scheme === "api_key" ? dataCenterFromApiKey(auth.apiKey) : auth.dc;
}

export function apiBaseUrl(template: string, dc: string): string {
  return template.replace("{dc}", dc).replace(/\/+$/, "");
}

export function authorizationHeader(auth: TMailchimpAuth): string {
  if (auth.scheme === "oauth") return `Bearer ${auth.accessToken}`;

  return `Basic ${Buffer.from(`ml-connector:${auth.apiKey}`).toString("base64")}`;
}

/** Identity of the account for shared limits: a hash, never the secret itself. */
export function accountIdentity(auth: TMailchimpAuth): string {
  const secret = auth.scheme === "api_key" ? auth.apiKey : auth.accessToken;

  return createHash("sha256").update(`mailchimp:${secret}`).digest("hex");
}

/** Mailchimp's member id: MD5 of the lower-cased address. */
export function subscriberHash(email: string): string {
  return createHash("md5").update(email.trim().toLowerCase()).digest("hex");
}
