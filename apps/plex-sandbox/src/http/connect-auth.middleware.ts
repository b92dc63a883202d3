/**
 * Authentication of Plex Connect calls (reference/plex-api.md §2.2): the key must come in the
 * X-Plex-Connect-Api-Key header (a key in the query string is not looked at, so it fails like on
 * the real API); a secret, when sent, must match; X-Plex-Connect-Tenant-Id / -Customer-Id must
 * name the sandbox tenant (UUID) or PCN; an app calling an API product it does not subscribe to
 * gets the same 401, which is what makes real 401s ambiguous. A bearer token from the OAuth
 * endpoint is accepted in place of the key until it expires.
 */
import type { NextFunction, Request, Response } from "express";

import type { CallStats } from "./call.stats.js";
import type { CredentialRegistry, TPrincipal } from "./credentials.js";
import { sameSecret } from "./credentials.js";
import { sendNotAuthenticated } from "./plex-errors.js";

export type TConnectAuthOptions = {
  credentials: CredentialRegistry;
  stats: CallStats;
  now: () => number;
  tenantId: () => string;
  pcn: () => string;
  requireSecret: boolean;
};

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];

  return typeof value === "string" ? value : undefined;
}

function principalOf(req: Request, options: TConnectAuthOptions): TPrincipal | undefined {
  const key = header(req, "x-plex-connect-api-key");
  if (key !== undefined && key !== "") {
    const apiKey = options.credentials.apiKey(key);
    if (apiKey === undefined) return undefined;
    const secret = header(req, "x-plex-connect-api-secret");
    if (secret === undefined && options.requireSecret) return undefined;
    if (secret !== undefined && apiKey.secret !== undefined && !sameSecret(secret, apiKey.secret)) {
      return undefined;
    }

    return { label: options.credentials.keyLabel(apiKey), products: apiKey.products };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(req, "authorization") ?? "");
  if (bearer === null) return undefined;

  return options.credentials.bearer(bearer[1]!, options.now());
}

function tenantAllowed(req: Request, options: TConnectAuthOptions): boolean {
  const tenantId = header(req, "x-plex-connect-tenant-id");
  if (tenantId !== undefined && tenantId.toLowerCase() !== options.tenantId()) return false;
  const pcn = header(req, "x-plex-connect-customer-id");

  return pcn === undefined || pcn === options.pcn();
}

export function connectAuth(options: TConnectAuthOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const principal = principalOf(req, options);
    const product = req.path.split("/")[1] ?? "";
    const subscribed = principal?.products === undefined || principal.products.includes(product);
    if (principal === undefined || !subscribed || !tenantAllowed(req, options)) {
      options.stats.recordUnauthenticated();
      sendNotAuthenticated(res);
      return;
    }
    res.locals.principal = principal;
    next();
  };
}

export function principalLabel(res: Response): string {
  const principal = res.locals.principal as TPrincipal | undefined;

  return principal?.label ?? "anonymous";
}
