/**
 * console entry point: the operator's web console and API, with Bull Board, all behind login.
 * See README.md for routes and configuration.
 */
import { randomBytes } from "node:crypto";

import { ConnectionService } from "@ml-connector/connections";
import {
  QUEUES,
  createProducer,
  enqueueWriteRecords,
  safeJobId,
  type TQueueKey,
} from "@ml-connector/queues";
import { bootService, configOrExit } from "@ml-connector/runtime";
import { createVault, loadMasterKeyring } from "@ml-connector/vault";

import { ZEnv } from "./env.js";
import { mountConsole } from "./http/console.routes.js";

const { env, host, log, prisma } = bootService("console", ZEnv);
const keyring = configOrExit("console", () => loadMasterKeyring(process.env));
const vault = createVault({ prisma, keyring, logger: log });

const oauthApp =
  env.MAILCHIMP_OAUTH_CLIENT_ID !== undefined && env.MAILCHIMP_OAUTH_CLIENT_SECRET !== undefined
    ? {
        clientId: env.MAILCHIMP_OAUTH_CLIENT_ID,
        clientSecret: env.MAILCHIMP_OAUTH_CLIENT_SECRET,
        redirectUri: `${env.CONSOLE_PUBLIC_URL.replace(/\/+$/, "")}/oauth/mailchimp/callback`,
      }
    : undefined;

const polls = createProducer("plexPoll", host.queueConnection, env.QUEUE_PREFIX);
const writes = createProducer("mailchimpWrite", host.queueConnection, env.QUEUE_PREFIX);
host.onShutdown("queues", "producers", async () => {
  await polls.close();
  await writes.close();
});

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
  connections: new ConnectionService(prisma, vault),
  clientDeps: { vault, redis: host.redis, prefix: env.QUEUE_PREFIX, log },
  mailchimpOAuthApp: oauthApp,
  syncNow: (connectionId, streams) =>
    polls.addBulk(
      streams.map((stream) => ({
        name: "poll-stream" as const,
        payload: { connectionId, stream, trigger: "manual" as const },
        // One pending manual poll per stream: pressing the button twice queues it once.
        opts: {
          jobId: safeJobId("sync-now", connectionId, stream, Math.floor(Date.now() / 5_000)),
        },
      })),
    ),
  enqueueWrites: (connectionId, entity, ids) =>
    enqueueWriteRecords(writes, connectionId, entity, ids, { replay: true }),
  prisma,
  log,
});

await host.start();
