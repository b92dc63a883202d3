/**
 * OAuth 2.0 authorization-code endpoints equivalent to login.mailchimp.com's ([OAUTH],
 * reference §1), served under /login so a client's "login base URL" can point here:
 * - GET  /login/oauth2/authorize: approves at once (no login page; the account is the default one
 *   or the one named by the sandbox-only `sandbox_account_id` parameter) and redirects to the
 *   redirect_uri with `code` and `state`; `sandbox_decision=deny` answers `error=access_denied`.
 * - POST /login/oauth2/token: form-encoded code exchange; the token never expires
 *   (`expires_in: 0`, "Tokens do not expire").
 * - GET  /login/oauth2/metadata: `Authorization: OAuth <token>` (or Bearer) → dc, api_endpoint,
 *   login, accountname…; clients call `${api_endpoint}/3.0`.
 */
import express, { type Request, type Response, Router } from "express";

import type { SandboxContext } from "../sandbox-context.js";

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

function stringParam(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Client credentials from the form or from HTTP Basic, as OAuth 2.0 allows both. */
function clientCredentials(req: Request): { clientId?: string; clientSecret?: string } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const header = req.headers.authorization;
  if (header?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0)
      return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
  }

  return { clientId: stringParam(body.client_id), clientSecret: stringParam(body.client_secret) };
}

export function oauthRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.get("/oauth2/authorize", (req, res) => {
    const clientId = stringParam(req.query.client_id);
    const redirectUri = stringParam(req.query.redirect_uri);
    const app = clientId === undefined ? undefined : ctx.oauth.app(clientId);
    // Without a known client and an allowed redirect_uri there is nowhere safe to redirect to.
    if (app === undefined) return oauthError(res, 400, "invalid_client", "Unknown client_id");
    if (redirectUri === undefined || !ctx.oauth.redirectAllowed(app, redirectUri)) {
      return oauthError(res, 400, "invalid_request", "redirect_uri does not match the app");
    }

    const target = new URL(redirectUri);
    const state = stringParam(req.query.state);
    if (state !== undefined) target.searchParams.set("state", state);
    if (stringParam(req.query.response_type) !== "code") {
      target.searchParams.set("error", "unsupported_response_type");
      return res.redirect(302, target.toString());
    }
    if (req.query.sandbox_decision === "deny") {
      target.searchParams.set("error", "access_denied");
      return res.redirect(302, target.toString());
    }

    const accountId = stringParam(req.query.sandbox_account_id) ?? ctx.accounts.all()[0]?.id;
    const account = accountId === undefined ? undefined : ctx.accounts.get(accountId);
    if (account === undefined)
      return oauthError(res, 400, "invalid_request", "No such sandbox account");

    target.searchParams.set(
      "code",
      ctx.oauth.issueCode(app.clientId, redirectUri, account.id, ctx.clock.nowMs()),
    );
    ctx.log.info({ clientId: app.clientId, accountId: account.id }, "oauth authorization approved");
    res.redirect(302, target.toString());
  });

  router.post(
    "/oauth2/token",
    express.urlencoded({ extended: false, limit: "16kb" }),
    (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!req.is("application/x-www-form-urlencoded")) {
        return oauthError(res, 400, "invalid_request", "The token request must be form-encoded");
      }
      if (body.grant_type !== "authorization_code") {
        return oauthError(
          res,
          400,
          "unsupported_grant_type",
          "Only authorization_code is supported",
        );
      }
      const { clientId, clientSecret } = clientCredentials(req);
      const app = clientId === undefined ? undefined : ctx.oauth.app(clientId);
      if (app === undefined || app.clientSecret !== clientSecret) {
        return oauthError(res, 401, "invalid_client", "Client authentication failed");
      }
      const accountId = ctx.oauth.redeemCode(
        stringParam(body.code) ?? "",
        app.clientId,
        stringParam(body.redirect_uri) ?? "",
        ctx.clock.nowMs(),
      );
      const account = accountId === undefined ? undefined : ctx.accounts.get(accountId);
      if (account === undefined)
        return oauthError(res, 400, "invalid_grant", "Invalid authorization code");

      const token = ctx.oauth.newAccessToken();
      ctx.accounts.addToken(account, token);
      res.json({ access_token: token, expires_in: 0, scope: null });
    },
  );

  router.get("/oauth2/metadata", (req, res) => {
    const header = req.headers.authorization ?? "";
    const token = /^(?:OAuth|Bearer)\s+(.+)$/i.exec(header)?.[1]?.trim();
    const account = token === undefined ? undefined : ctx.accounts.findByToken(token);
    if (account === undefined)
      return oauthError(res, 401, "invalid_token", "Invalid or missing token");

    res.json({
      dc: account.dc,
      role: account.role,
      accountname: account.name,
      user_id: account.userId,
      login: {
        email: account.loginEmail,
        avatar: null,
        login_id: account.loginId,
        login_name: account.loginName,
        login_email: account.loginEmail,
      },
      login_url: `${ctx.publicUrl}/login`,
      api_endpoint: `${ctx.publicUrl}/${account.dc}`,
    });
  });

  return router;
}
