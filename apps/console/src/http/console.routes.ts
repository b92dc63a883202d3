/**
 * Mounts everything the console serves on an Express app: login first (it must stay reachable
 * without a session), then the operator check, then the APIs, Bull Board and the pages.
 */
import type { Queue } from "bullmq";
import type { Express } from "express";

import type { ConnectionService, TClientDeps } from "@ml-connector/connections";
import type { TMailchimpOAuthApp } from "@ml-connector/mailchimp-client";
import type { TPrisma } from "@ml-connector/db";
import type { Logger } from "@ml-connector/runtime";

import { requireOperator, type TAuthConfig } from "../auth/auth.middleware.js";
import { BULL_BOARD_PATH, bullBoardRouter } from "./bull-board.routes.js";
import {
  connectionRoutes,
  jsonErrorHandler,
  type TConnectionRoutesDeps,
} from "./connections.routes.js";
import { operationsRoutes, type TOperationsDeps } from "./operations.routes.js";
import { pagesRoutes } from "./pages.routes.js";
import { loginRoutes } from "./login.routes.js";
import { mailchimpOAuthRoutes } from "./mailchimp-oauth.routes.js";

export type TConsoleOptions = {
  auth: TAuthConfig;
  sessionHours: number;
  secureCookies: boolean;
  queues: Queue[];
  bullBoardWritable: boolean;
  connections: ConnectionService;
  clientDeps: TClientDeps;
  mailchimpOAuthApp: Omit<TMailchimpOAuthApp, "loginBaseUrl"> | undefined;
  syncNow: TConnectionRoutesDeps["syncNow"];
  enqueueWrites: TOperationsDeps["enqueueWrites"];
  prisma: TPrisma;
  log: Logger;
};

export function mountConsole(app: Express, options: TConsoleOptions): void {
  app.use(
    loginRoutes({
      ...options.auth,
      sessionHours: options.sessionHours,
      secureCookies: options.secureCookies,
    }),
  );
  app.use(requireOperator(options.auth));
  app.use(BULL_BOARD_PATH, bullBoardRouter(options.queues, options.bullBoardWritable));
  app.use(
    connectionRoutes({
      connections: options.connections,
      clientDeps: options.clientDeps,
      log: options.log,
      syncNow: options.syncNow,
    }),
  );
  app.use(
    mailchimpOAuthRoutes({
      connections: options.connections,
      stateSecret: options.auth.sessionSecret,
      app: options.mailchimpOAuthApp,
      log: options.log,
    }),
  );
  const operations = {
    connections: options.connections,
    prisma: options.prisma,
    clientDeps: options.clientDeps,
    log: options.log,
    enqueueWrites: options.enqueueWrites,
  };
  app.use(operationsRoutes(operations));
  app.use(pagesRoutes({ ...operations, syncNow: options.syncNow }));
  app.use(jsonErrorHandler);
}
