/**
 * startMailchimpSandbox(): one real HTTP server serving, side by side,
 * - the Marketing API per data center:  /{dc}/3.0/…   (https://{dc}.api.mailchimp.com/3.0/…)
 * - OAuth 2.0:                           /login/oauth2/…  (https://login.mailchimp.com/oauth2/…)
 * - batch result archives:               /batch-results/{token}.tar.gz
 * - the control API:                     /_sandbox/…
 * - health:                              /healthz, /readyz
 * Tests and benchmarks start it in-process (port 0 = a free port); src/main.ts runs it as a
 * service. In sandbox mode it starts with one account, audience, store and OAuth app.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

import express from "express";

import { createLogger, type Logger } from "@ml-connector/runtime";

import {
  ZSandboxOptions,
  type TSandboxOptions,
  type TSandboxOptionsInput,
} from "./config/sandbox-options.js";
import { controlRouter } from "./control/control.router.js";
import { provisionAccount, provisionList, provisionStore } from "./control/provisioning.js";
import { apiRequestHandler } from "./http/api.router.js";
import { oauthRouter } from "./oauth/oauth.router.js";
import { SandboxContext } from "./sandbox-context.js";
import { SandboxHandle } from "./sandbox.handle.js";

export type TStartOptions = TSandboxOptionsInput & {
  /** pino logger to use; by default a "mailchimp-sandbox" logger at level warn. */
  logger?: Logger;
};

export async function startMailchimpSandbox(input: TStartOptions = {}): Promise<SandboxHandle> {
  const { logger, ...rest } = input;
  const options: TSandboxOptions = ZSandboxOptions.parse(rest);
  const log = logger ?? createLogger({ service: "mailchimp-sandbox", level: "warn" });
  const ctx = new SandboxContext(options, log);
  const defaults = options.defaults.createDefaultAccount ? createDefaults(ctx) : undefined;

  let closing = false;
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    res.status(closing ? 503 : 200).json({ status: closing ? "shutting-down" : "ready" });
  });
  app.get("/batch-results/:file", (req, res) => {
    const archive = ctx.archives.get(String(req.params.file));
    if (archive === undefined) {
      res.status(404).type("text/plain").send("Not Found");
      return;
    }
    res.type("application/x-gzip").send(archive);
  });
  app.use("/login", oauthRouter(ctx));
  app.use("/_sandbox", controlRouter(ctx));
  app.use(apiRequestHandler(ctx));
  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });

  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });

  const port = (server.address() as AddressInfo).port;
  const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  ctx.publicUrl = (options.publicUrl ?? `http://${host}:${port}`).replace(/\/$/, "");
  log.info({ port, url: ctx.publicUrl }, "mailchimp sandbox listening");

  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    ctx.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      for (const socket of sockets) socket.destroy();
    });
    log.info({ port }, "mailchimp sandbox closed");
  };

  return new SandboxHandle(ctx, port, close, defaults);
}

export type TSandboxDefaults = {
  accountId: string;
  apiKey: string;
  dc: string;
  listId: string;
  storeId: string;
  oauthClientId: string;
  oauthClientSecret: string;
};

function createDefaults(ctx: SandboxContext): TSandboxDefaults {
  const { defaults } = ctx.options;
  const dc = defaults.apiKey.slice(defaults.apiKey.lastIndexOf("-") + 1);
  const { account, apiKey } = provisionAccount(ctx, {
    dc,
    name: "Sandbox Manufacturing",
    apiKey: defaults.apiKey,
  });
  provisionList(ctx, account, { id: defaults.listId, name: "Plex customers", doubleOptin: false });
  provisionStore(ctx, account, {
    id: defaults.storeId,
    listId: defaults.listId,
    name: "Sandbox plant store",
    currencyCode: "USD",
  });
  ctx.oauth.registerApp({
    clientId: defaults.oauthClientId,
    clientSecret: defaults.oauthClientSecret,
    redirectUris: ["*"],
    name: "Sandbox connector",
  });

  return {
    accountId: account.id,
    apiKey,
    dc,
    listId: defaults.listId,
    storeId: defaults.storeId,
    oauthClientId: defaults.oauthClientId,
    oauthClientSecret: defaults.oauthClientSecret,
  };
}
