/**
 * console entry point: the operator's web console and API, with Bull Board, all behind login.
 * See README.md for routes and configuration.
 */
import { randomBytes } from "node:crypto";

import { QUEUES, type TQueueKey } from "@ml-connector/queues";
import { bootService } from "@ml-connector/runtime";

import { ZEnv } from "./env.js";
import { mountConsole } from "./http/console.routes.js";

const { env, host } = bootService("console", ZEnv);

mountConsole(host.app, {
  auth: {
    username: env.CONSOLE_USERNAME,
    password: env.CONSOLE_PASSWORD,
    sessionSecret: env.CONSOLE_SESSION_SECRET ?? randomBytes(32).toString("base64url"),
  },
  sessionHours: env.CONSOLE_SESSION_HOURS,
  secureCookies: env.CONSOLE_SECURE_COOKIES,
  queues: (Object.keys(QUEUES) as TQueueKey[]).map((key) => host.queue(key)),
  bullBoardWritable: env.CONSOLE_BULL_BOARD_WRITABLE,
});

await host.start();
