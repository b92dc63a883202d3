/**
 * The masked hint `describe` shows ("…a1f3"), enough for an operator to tell which key is stored
 * without revealing it. Passwords give no hint at all: four characters of a short password are a
 * real part of it, so the Basic-auth kinds are hinted by their user name instead.
 */
import type { TCredentialKind, TCredentialPayloads } from "./credential-kinds.schema.js";

const SHOWN = 4;
/** Below this length the last four characters are too large a share of the value to show. */
const MIN_LENGTH_FOR_HINT = 12;
const ELLIPSIS = "…";

function tail(value: string): string {
  if (value.length < MIN_LENGTH_FOR_HINT) return ELLIPSIS;

  return `${ELLIPSIS}${value.slice(-SHOWN)}`;
}

/** Mailchimp keys end in "-us21": hint the key part and keep the (non-secret) data center. */
function mailchimpKeyHint(apiKey: string): string {
  const dash = apiKey.lastIndexOf("-");
  if (dash <= 0) return tail(apiKey);

  return `${tail(apiKey.slice(0, dash))}${apiKey.slice(dash)}`;
}

type THintRules = { [K in TCredentialKind]: (payload: TCredentialPayloads[K]) => string };

const HINT_RULES: THintRules = {
  plex_api_key: (payload) => tail(payload.apiKey),
  plex_oauth_client: (payload) => `${payload.clientId} ${tail(payload.clientSecret)}`,
  plex_soap_basic: (payload) => `${payload.username}@${payload.pcn}`,
  plex_ux_basic: (payload) => `${payload.username}@${payload.pcn}`,
  mailchimp_api_key: (payload) => mailchimpKeyHint(payload.apiKey),
  mailchimp_oauth: (payload) => `${tail(payload.accessToken)} (${payload.dc})`,
  webhook_secret: (payload) => tail(payload.secret),
  mandrill_webhook_key: (payload) => tail(payload.key),
};

export function credentialHint<K extends TCredentialKind>(
  kind: K,
  payload: TCredentialPayloads[K],
): string {
  return HINT_RULES[kind](payload);
}
