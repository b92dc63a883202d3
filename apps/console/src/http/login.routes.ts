/** The login form, its POST and logout. Sessions are cookies signed by session.ts. */
import express, { Router } from "express";
import { stringifySetCookie } from "cookie";

import { checkCredentials, type TAuthConfig } from "../auth/auth.middleware.js";
import { SESSION_COOKIE, encodeSession } from "../auth/session.js";
import { escapeHtml, page } from "./page.js";

export type TLoginOptions = TAuthConfig & { sessionHours: number; secureCookies: boolean };

/** Only same-site paths are followed after login, never another origin. */
function safeNext(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return "/";

  return value;
}

function loginForm(next: string, error?: string): string {
  const message =
    error === undefined ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>`;

  return page(
    "Sign in",
    `<h1>ml-connector console</h1>
    ${message}
    <form method="post" action="/login">
      <input type="hidden" name="next" value="${escapeHtml(next)}">
      <label>User <input name="username" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password"
        required></label>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

export function loginRoutes(options: TLoginOptions): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });

  router.get("/login", (req, res) => {
    res.type("html").send(loginForm(safeNext(req.query.next)));
  });

  router.post("/login", form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === "string" ? body.username : "";
    const password = typeof body.password === "string" ? body.password : "";
    const next = safeNext(body.next);

    if (!checkCredentials(options, username, password)) {
      res.status(401).type("html").send(loginForm(next, "Wrong user name or password."));

      return;
    }

    const expiresAt = Date.now() + options.sessionHours * 3_600_000;
    const cookie = encodeSession({ user: username, expiresAt }, options.sessionSecret);
    res.setHeader(
      "Set-Cookie",
      stringifySetCookie({
        name: SESSION_COOKIE,
        value: cookie,
        httpOnly: true,
        sameSite: "lax",
        secure: options.secureCookies,
        path: "/",
        maxAge: options.sessionHours * 3_600,
      }),
    );
    res.redirect(303, next);
  });

  router.post("/logout", (_req, res) => {
    res.setHeader(
      "Set-Cookie",
      stringifySetCookie({ name: SESSION_COOKIE, value: "", path: "/", maxAge: 0 }),
    );
    res.redirect(303, "/login");
  });

  return router;
}
