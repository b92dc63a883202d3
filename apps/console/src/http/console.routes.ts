/**
 * Mounts everything the console serves on an Express app: login first (it must stay reachable
 * without a session), then the operator check, then Bull Board and the pages.
 */
import type { Queue } from "bullmq";
import type { Express } from "express";

import { requireOperator, type TAuthConfig } from "../auth/auth.middleware.js";
import { BULL_BOARD_PATH, bullBoardRouter } from "./bull-board.routes.js";
import { homeRoutes } from "./home.routes.js";
import { loginRoutes } from "./login.routes.js";

export type TConsoleOptions = {
  auth: TAuthConfig;
  sessionHours: number;
  secureCookies: boolean;
  queues: Queue[];
  bullBoardWritable: boolean;
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
  app.use(homeRoutes());
}
