/**
 * "Ping your real systems": checks both sides of a connection live and says, in words a plant IT
 * lead can act on, what is wrong. Plex: GET /mdm/v1/tenants (the cheapest authenticated call, the
 * "auth canary" of reference plex-api.md §2.6) or one data-source call; Mailchimp: GET /ping, then
 * the audience (and the e-commerce store when one exists).
 */
import {
  MailchimpApiError,
  MailchimpConfigError,
  getList,
  getStore,
} from "@ml-connector/mailchimp-client";
import { PlexApiError } from "@ml-connector/plex-client";
import { scrubbedMessage } from "@ml-connector/runtime";

import { openMailchimpClient, openPlexClients, type TClientDeps } from "./connection-clients.js";
import type { TConnectionView } from "./connection.service.js";

export type TSideResult = { ok: boolean; message: string; detail?: string };
export type TConnectionCheck = { ok: boolean; plex: TSideResult; mailchimp: TSideResult };

function plexProblem(err: unknown, connection: TConnectionView): TSideResult {
  if (!(err instanceof PlexApiError)) {
    return { ok: false, message: `Plex check failed: ${scrubbedMessage(err)}` };
  }
  const detail = err.message;
  const scheme = connection.plex.authScheme;
  if (err.kind === "auth" && scheme === "api_key") {
    return {
      ok: false,
      detail,
      message:
        "The Plex key was refused: wrong key, an expired key (Plex keys are often rotated " +
        "monthly), or the app is not subscribed to the Common APIs product in the Plex " +
        "developer portal.",
    };
  }
  if (err.kind === "auth" && scheme === "oauth_client_credentials") {
    return {
      ok: false,
      detail,
      message:
        "Plex refused the OAuth client: check the client id and secret and the token URL, and " +
        "that the client may call the Plex APIs.",
    };
  }
  if (err.kind === "auth") {
    return {
      ok: false,
      detail,
      message:
        "Plex refused the web-service user: check the user name and password, and that the user " +
        "belongs to this PCN and was granted the data source.",
    };
  }
  if (err.kind === "network") {
    return {
      ok: false,
      detail,
      message:
        `Could not reach Plex at ${hostOf(connection)}: check the address and that this ` +
        "server may connect out to it (firewall, proxy).",
    };
  }
  if (err.kind === "rate-limited") {
    return {
      ok: false,
      detail,
      message:
        "Plex says this key has used its call budget (about 200 calls a minute). Other " +
        "programs may share the key; try again in a minute.",
    };
  }
  if (err.status === 404) {
    return {
      ok: false,
      detail,
      message: `Plex answered 404: the base URL ${hostOf(connection)} is probably wrong.`,
    };
  }

  return { ok: false, detail, message: `Plex answered an error: ${detail}` };
}

function hostOf(connection: TConnectionView): string {
  return connection.plex.endpoints.soapUrl ?? connection.plex.baseUrl;
}

async function checkPlex(connection: TConnectionView, deps: TClientDeps): Promise<TSideResult> {
  try {
    const clients = await openPlexClients(connection, deps);
    if ("connect" in clients) {
      const tenants = await clients.connect.list("/mdm/v1/tenants");
      const codes = tenants
        .map((tenant) => (tenant as { code?: unknown }).code)
        .filter((code): code is string => typeof code === "string");
      const named = codes.length > 0 ? ` (${codes.slice(0, 3).join(", ")})` : "";

      return { ok: true, message: `Plex answered: ${tenants.length} tenant(s) visible${named}.` };
    }
    const client = "soap" in clients ? clients.soap : clients.ux;
    const dataSource = connection.options.dataSources.customers;
    if (dataSource === undefined) {
      return {
        ok: false,
        message:
          "No customer data source is configured: set options.dataSources.customers to the " +
          "data source id Plex granted the web-service user.",
      };
    }
    const result = await client.execute(dataSource, {});

    return {
      ok: true,
      message: `Plex data source ${dataSource} answered with ${result.rows.length} row(s).`,
    };
  } catch (err) {
    return plexProblem(err, connection);
  }
}

function mailchimpProblem(
  err: unknown,
  step: "ping" | "audience" | "store",
  connection: TConnectionView,
): TSideResult {
  if (err instanceof MailchimpConfigError) return { ok: false, message: err.message };
  if (!(err instanceof MailchimpApiError)) {
    return { ok: false, message: `Mailchimp check failed: ${scrubbedMessage(err)}` };
  }
  const detail = err.message;
  if (err.kind === "auth") {
    const wrongDc = /datacenter|data center/i.test(`${err.detail ?? ""} ${err.title ?? ""}`);
    const message = wrongDc
      ? `Mailchimp refused the key at data center ${connection.mailchimp.dc ?? "?"}: the key's ` +
        "-usNN suffix must be the account's own; copy the whole key again."
      : connection.mailchimp.authScheme === "oauth"
        ? "Mailchimp refused the OAuth token: connect the account again from the console."
        : "The Mailchimp API key was refused: it is wrong or was revoked (Mailchimp: Profile → " +
          "Extras → API keys).";

    return { ok: false, detail, message };
  }
  if (err.status === 404 && step === "audience") {
    return {
      ok: false,
      detail,
      message:
        `The Mailchimp audience ${connection.mailchimp.listId ?? "?"} does not exist in this ` +
        "account: copy the Audience ID from Audience → Settings → Audience name and defaults.",
    };
  }
  if (err.kind === "network") {
    return {
      ok: false,
      detail,
      message: "Could not reach Mailchimp: check that this server may connect out to it.",
    };
  }
  if (err.kind === "rate-limited") {
    return {
      ok: false,
      detail,
      message:
        "Mailchimp is limiting this account right now (10 connections at a time); try again shortly.",
    };
  }

  return { ok: false, detail, message: `Mailchimp answered an error: ${detail}` };
}

async function checkMailchimp(
  connection: TConnectionView,
  deps: TClientDeps,
): Promise<TSideResult> {
  let step: "ping" | "audience" | "store" = "ping";
  try {
    const client = await openMailchimpClient(connection, deps);
    if (client === undefined) {
      return {
        ok: false,
        message: "Mailchimp is not connected yet: finish the OAuth connect step in the console.",
      };
    }
    await client.ping();
    step = "audience";
    const list = await getList(client, connection.mailchimp.listId ?? "");
    let storeNote = "";
    if (connection.mailchimp.storeId !== null) {
      step = "store";
      try {
        await getStore(client, connection.mailchimp.storeId);
        storeNote = `; store ${connection.mailchimp.storeId} exists`;
      } catch (err) {
        if (!(err instanceof MailchimpApiError && err.status === 404)) throw err;
        storeNote = `; store ${connection.mailchimp.storeId} will be created on first sync`;
      }
    }

    return {
      ok: true,
      message: `Mailchimp answered: audience "${list.name}" (${client.dc})${storeNote}.`,
    };
  } catch (err) {
    return mailchimpProblem(err, step, connection);
  }
}

export async function checkConnection(
  connection: TConnectionView,
  deps: TClientDeps,
): Promise<TConnectionCheck> {
  const interactive = { ...deps, maxAttempts: deps.maxAttempts ?? 2 };
  const [plex, mailchimp] = await Promise.all([
    checkPlex(connection, interactive),
    checkMailchimp(connection, interactive),
  ]);

  return { ok: plex.ok && mailchimp.ok, plex, mailchimp };
}
