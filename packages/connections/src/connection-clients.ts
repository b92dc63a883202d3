/**
 * Builds a connection's API clients from its row and its vault credentials, with the shared
 * limits every caller of the same credential must respect: Plex's per-key call budget and
 * Mailchimp's per-account connection cap, both in Redis. Services and the connection test use
 * this; nothing else constructs a client for a connection.
 */
import type { Redis } from "ioredis";

import {
  MailchimpClient,
  MailchimpConnectionSemaphore,
  accountIdentity,
  type TMailchimpAuth,
} from "@ml-connector/mailchimp-client";
import {
  PlexCallBudget,
  PlexConnectClient,
  PlexSoapClient,
  PlexUxDataSourceClient,
} from "@ml-connector/plex-client";
import type { Logger } from "@ml-connector/runtime";
import type { CredentialVault } from "@ml-connector/vault";

import type { TConnectionView } from "./connection.service.js";

export type TPlexClients =
  | {
      scheme: "api_key" | "oauth_client_credentials";
      connect: PlexConnectClient;
      budget: PlexCallBudget;
    }
  | { scheme: "soap_basic"; soap: PlexSoapClient; budget: PlexCallBudget }
  | { scheme: "ux_basic"; ux: PlexUxDataSourceClient; budget: PlexCallBudget };

export type TClientDeps = {
  vault: CredentialVault;
  redis: Redis;
  /** Prefix of the shared limiter keys (the queue prefix). */
  prefix: string;
  log?: Logger;
  /** Fewer retries for interactive checks, so an operator is not kept waiting. */
  maxAttempts?: number;
};

export async function openPlexClients(
  connection: TConnectionView,
  deps: TClientDeps,
): Promise<TPlexClients> {
  const common = { maxAttempts: deps.maxAttempts, log: deps.log };
  const budgetFor = (keyIdentity: string) =>
    new PlexCallBudget({
      redis: deps.redis,
      keyIdentity,
      callsPerMinute: connection.options.plexCallsPerMinute,
      prefix: deps.prefix,
    });
  const scheme = connection.plex.authScheme;

  if (scheme === "api_key") {
    const credential = await deps.vault.get(connection.id, "plex_api_key");
    const budget = budgetFor(`plex-key:${credential.apiKey}`);
    const connect = new PlexConnectClient({
      ...common,
      baseUrl: connection.plex.baseUrl,
      auth: { scheme, apiKey: credential.apiKey, apiSecret: credential.apiSecret },
      tenantId: connection.plex.tenantId ?? undefined,
      pcn: connection.plex.pcn ?? undefined,
      budget,
    });

    return { scheme, connect, budget };
  }
  if (scheme === "oauth_client_credentials") {
    const credential = await deps.vault.get(connection.id, "plex_oauth_client");
    const budget = budgetFor(`plex-oauth:${credential.tokenUrl}:${credential.clientId}`);
    const connect = new PlexConnectClient({
      ...common,
      baseUrl: connection.plex.baseUrl,
      auth: { scheme, ...credential },
      tenantId: connection.plex.tenantId ?? undefined,
      pcn: connection.plex.pcn ?? undefined,
      budget,
    });

    return { scheme, connect, budget };
  }
  if (scheme === "soap_basic") {
    const credential = await deps.vault.get(connection.id, "plex_soap_basic");
    const budget = budgetFor(`plex-soap:${credential.username}@${credential.pcn}`);
    const soapUrl = connection.plex.endpoints.soapUrl;
    if (soapUrl === undefined) throw new Error(`connection ${connection.id} has no SOAP URL`);
    const soap = new PlexSoapClient({ ...common, soapUrl, credentials: credential, budget });

    return { scheme, soap, budget };
  }
  if (scheme === "ux_basic") {
    const credential = await deps.vault.get(connection.id, "plex_ux_basic");
    const budget = budgetFor(`plex-ux:${credential.username}@${credential.pcn}`);
    const ux = new PlexUxDataSourceClient({
      ...common,
      baseUrlTemplate: connection.plex.endpoints.uxBaseTemplate ?? "https://{pcn}.on.plex.com",
      pcn: credential.pcn,
      credentials: credential,
      budget,
    });

    return { scheme, ux, budget };
  }
  throw new Error(`connection ${connection.id} has an unknown Plex auth scheme ${scheme}`);
}

/** The Mailchimp credential, or undefined while an OAuth connection waits for its token. */
export async function mailchimpAuthOf(
  connection: TConnectionView,
  vault: CredentialVault,
): Promise<TMailchimpAuth | undefined> {
  if (connection.mailchimp.authScheme === "oauth") {
    const token = await vault.find(connection.id, "mailchimp_oauth");

    return token === undefined
      ? undefined
      : { scheme: "oauth", accessToken: token.accessToken, dc: token.dc };
  }
  const credential = await vault.find(connection.id, "mailchimp_api_key");

  return credential === undefined ? undefined : { scheme: "api_key", apiKey: credential.apiKey };
}

export async function openMailchimpClient(
  connection: TConnectionView,
  deps: TClientDeps,
): Promise<MailchimpClient | undefined> {
  const auth = await mailchimpAuthOf(connection, deps.vault);
  if (auth === undefined) return undefined;
  const semaphore = new MailchimpConnectionSemaphore({
    redis: deps.redis,
    accountIdentity: accountIdentity(auth),
    maxInFlight: connection.options.mailchimpMaxInFlight,
    prefix: deps.prefix,
  });

  return new MailchimpClient({
    auth,
    apiBaseTemplate: connection.mailchimp.apiBaseTemplate,
    semaphore,
    maxAttempts: deps.maxAttempts,
    log: deps.log,
  });
}
