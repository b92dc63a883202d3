/**
 * Connecting a Mailchimp account with OAuth 2.0 (reference mailchimp-api.md §1): the operator
 * starts from a connection, is sent to Mailchimp to authorize, comes back with a code, which is
 * exchanged for a token; the metadata endpoint gives the account's data center. The token goes to
 * the vault. `state` is signed and short-lived so a callback cannot be forged or replayed late.
 */
import { createHmac, randomBytes } from "node:crypto";

import { Router } from "express";

import type { ConnectionService } from "@ml-connector/connections";
import {
  authorizeUrl,
  exchangeCode,
  fetchMetadata,
  type TMailchimpOAuthApp,
} from "@ml-connector/mailchimp-client";
import type { Logger } from "@ml-connector/runtime";

import { safeEqual } from "../auth/session.js";
import { escapeHtml, page } from "./page.js";

const STATE_TTL_MS = 15 * 60_000;

export type TOAuthRoutesDeps = {
  connections: ConnectionService;
  stateSecret: string;
  /** Without an OAuth app configured, the routes explain how to configure one. */
  app: Omit<TMailchimpOAuthApp, "loginBaseUrl"> | undefined;
  log: Logger;
};

function signState(connectionId: string, secret: string): string {
  const body = Buffer.from(
    JSON.stringify({
      c: connectionId,
      n: randomBytes(8).toString("hex"),
      e: Date.now() + STATE_TTL_MS,
    }),
  ).toString("base64url");

  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

function readState(state: string, secret: string): string | undefined {
  const [body, signature] = state.split(".");
  if (body === undefined || signature === undefined) return undefined;
  if (!safeEqual(signature, createHmac("sha256", secret).update(body).digest("base64url"))) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as {
      c?: unknown;
      e?: unknown;
    };
    if (typeof parsed.c !== "string" || typeof parsed.e !== "number" || parsed.e < Date.now()) {
      return undefined;
    }

    return parsed.c;
  } catch {
    return undefined;
  }
}

export function mailchimpOAuthRoutes(deps: TOAuthRoutesDeps): Router {
  const router = Router();

  router.get("/connections/:id/mailchimp/connect", async (req, res, next) => {
    try {
      if (deps.app === undefined) {
        res
          .status(409)
          .type("html")
          .send(
            page(
              "Mailchimp OAuth",
              "<h1>Mailchimp OAuth is not configured</h1><p>Set MAILCHIMP_OAUTH_CLIENT_ID and " +
                "MAILCHIMP_OAUTH_CLIENT_SECRET for the console, or use an API key.</p>",
            ),
          );

        return;
      }
      const connection = await deps.connections.get(String(req.params.id));
      const app = { ...deps.app, loginBaseUrl: connection.mailchimp.loginBaseUrl };
      res.redirect(303, authorizeUrl(app, signState(connection.id, deps.stateSecret)));
    } catch (err) {
      next(err);
    }
  });

  router.get("/oauth/mailchimp/callback", async (req, res) => {
    const code = typeof req.query.code === "string" ? req.query.code : "";
    const state = typeof req.query.state === "string" ? req.query.state : "";
    const connectionId = readState(state, deps.stateSecret);
    if (deps.app === undefined || code === "" || connectionId === undefined) {
      res
        .status(400)
        .type("html")
        .send(
          page(
            "Mailchimp OAuth",
            "<h1>This link is not valid</h1><p>Start again from the connection.</p>",
          ),
        );

      return;
    }

    try {
      const connection = await deps.connections.get(connectionId);
      const loginBaseUrl = connection.mailchimp.loginBaseUrl;
      const accessToken = await exchangeCode({ ...deps.app, loginBaseUrl }, code);
      const metadata = await fetchMetadata(loginBaseUrl, accessToken);
      await deps.connections.connectMailchimpOAuth(connectionId, {
        accessToken,
        dc: metadata.dc,
        apiEndpoint: metadata.apiEndpoint,
      });
      deps.log.info({ connectionId, dc: metadata.dc }, "mailchimp account connected with oauth");
      res
        .type("html")
        .send(
          page(
            "Mailchimp connected",
            `<h1>Mailchimp connected</h1><p>Connection ${escapeHtml(connectionId)} now uses ` +
              `the account ${escapeHtml(metadata.accountName ?? "")} (${escapeHtml(metadata.dc)}).</p>` +
              `<p><a href="/">Back to the console</a></p>`,
          ),
        );
    } catch (err) {
      deps.log.warn({ connectionId, err }, "mailchimp oauth callback failed");
      res
        .status(502)
        .type("html")
        .send(
          page(
            "Mailchimp OAuth",
            `<h1>Mailchimp did not complete the connection</h1><p>${escapeHtml(
              err instanceof Error ? err.message : "unknown error",
            )}</p>`,
          ),
        );
    }
  });

  return router;
}
