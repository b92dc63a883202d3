/**
 * Everything the console serves, Bull Board included, sits behind this check. Browsers log in with
 * a form and get a session cookie; scripts and the CLI may send HTTP Basic credentials instead.
 * Unauthenticated page requests are sent to /login; API requests get 401.
 */
import type { NextFunction, Request, Response } from "express";
import { parseCookie } from "cookie";

import { SESSION_COOKIE, decodeSession, safeEqual } from "./session.js";

export type TAuthConfig = {
  username: string;
  password: string;
  sessionSecret: string;
};

export function checkCredentials(config: TAuthConfig, username: string, password: string) {
  // Both compared, always, so timing does not tell which one was wrong.
  const userOk = safeEqual(username, config.username);
  const passwordOk = safeEqual(password, config.password);

  return userOk && passwordOk;
}

function basicCredentials(header: string | undefined): [string, string] | undefined {
  if (header === undefined || !header.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;

  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

export function requireOperator(config: TAuthConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const cookies = parseCookie(req.headers.cookie ?? "");
    const session = decodeSession(cookies[SESSION_COOKIE], config.sessionSecret);
    if (session !== undefined) {
      res.locals.operator = session.user;
      next();

      return;
    }

    const basic = basicCredentials(req.headers.authorization);
    if (basic !== undefined && checkCredentials(config, basic[0], basic[1])) {
      res.locals.operator = basic[0];
      next();

      return;
    }

    if (req.accepts(["html", "json"]) === "html" && req.method === "GET") {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);

      return;
    }
    res.status(401).set("WWW-Authenticate", 'Basic realm="ml-connector"').json({
      error: "authentication required",
    });
  };
}
