/**
 * OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4) for tenants fronted by an OAuth
 * gateway. Real Plex Connect documents none (reference/plex-api.md §2.2: API key only), so this
 * is the product's promise, simulated: POST form-encoded grant_type=client_credentials with the
 * client authenticated by Basic auth or client_id/client_secret in the body; answers
 * `{ access_token, token_type: "Bearer", expires_in }`; errors as RFC 6749 §5.2.
 */
import express, { type Request, type Response, type Router } from "express";

import { parseBasicAuth, type CredentialRegistry } from "../http/credentials.js";

export const OAUTH_TOKEN_PATH = "/oauth2/token";

function decodeFormValue(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res
    .status(status)
    .setHeader("Cache-Control", "no-store")
    .json({ error, error_description: description });
}

export function oauthRoutes(credentials: CredentialRegistry, now: () => number): Router {
  const router = express.Router();
  router.post(
    OAUTH_TOKEN_PATH,
    express.urlencoded({ extended: false, limit: "16kb" }),
    (req: Request, res: Response) => {
      if (!req.is("application/x-www-form-urlencoded")) {
        oauthError(
          res,
          400,
          "invalid_request",
          "The body must be application/x-www-form-urlencoded.",
        );
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const basic = parseBasicAuth(req.headers.authorization);
      const clientId = basic?.user ?? (typeof body.client_id === "string" ? body.client_id : "");
      const clientSecret =
        basic?.password ?? (typeof body.client_secret === "string" ? body.client_secret : "");
      if (typeof body.grant_type !== "string" || body.grant_type === "") {
        oauthError(res, 400, "invalid_request", "grant_type is required.");
        return;
      }
      if (body.grant_type !== "client_credentials") {
        oauthError(res, 400, "unsupported_grant_type", "Only client_credentials is supported.");
        return;
      }
      // Basic values are form-encoded before base64 (RFC 6749 §2.3.1).
      const id = basic === undefined ? clientId : decodeFormValue(clientId);
      const secret = basic === undefined ? clientSecret : decodeFormValue(clientSecret);
      const client =
        id === undefined || secret === undefined ? undefined : credentials.oauthClient(id, secret);
      if (client === undefined) {
        if (basic !== undefined) res.setHeader("WWW-Authenticate", 'Basic realm="plex-sandbox"');
        oauthError(res, 401, "invalid_client", "Client authentication failed.");
        return;
      }
      const { token, expiresIn } = credentials.issueToken(client, now());
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Pragma", "no-cache");
      res.json({ access_token: token, token_type: "Bearer", expires_in: expiresIn });
    },
  );

  return router;
}
