/**
 * plex-sandbox service entry: the Plex simulator as a standalone server for sandbox mode and
 * manual testing. Everything else lives in plex-sandbox.ts; see README.md for what it serves.
 */
import {
  ShutdownSequence,
  createLogger,
  loadEnvOrExit,
  registerSecret,
} from "@ml-connector/runtime";

import { ZEnv } from "./env.js";
import { startPlexSandbox } from "./plex-sandbox.js";

const env = loadEnvOrExit("plex-sandbox", ZEnv);
registerSecret(env.PLEX_SANDBOX_API_KEY);
const log = createLogger({ service: "plex-sandbox", level: env.LOG_LEVEL });
process.on("unhandledRejection", (reason) => {
  log.error({ err: reason }, "unhandled promise rejection");
});

let sandbox;
try {
  sandbox = await startPlexSandbox({
    port: env.HTTP_PORT,
    host: env.HTTP_HOST,
    seed: env.PLEX_SANDBOX_SEED,
    customers: env.PLEX_SANDBOX_CUSTOMERS,
    tenantCode: env.PLEX_SANDBOX_TENANT_CODE,
    pcn: env.PLEX_SANDBOX_PCN,
    apiKeys: [{ key: env.PLEX_SANDBOX_API_KEY }],
    oauth: { tokenLifetimeSeconds: env.PLEX_SANDBOX_TOKEN_LIFETIME_SECONDS },
    latency: {
      baseMs: env.PLEX_SANDBOX_LATENCY_BASE_MS,
      perRowMs: env.PLEX_SANDBOX_LATENCY_PER_ROW_MS,
    },
    rateLimit: { limit: env.PLEX_SANDBOX_RATE_LIMIT },
    logger: log,
  });
} catch (err) {
  log.fatal({ err, port: env.HTTP_PORT }, "plex sandbox failed to start");
  process.exit(1);
}

const running = sandbox;
const state = running.state();
log.info(
  {
    port: running.port,
    customers: state.customers,
    orders: state.orders,
    indexBuildMs: state.indexBuildMs,
  },
  "plex sandbox started",
);

const shutdown = new ShutdownSequence(log, env.SHUTDOWN_TIMEOUT_MS);
shutdown.register("readiness off", () => running.markNotReady());
shutdown.register("http server", () => running.close());
const stop = (reason: string): void => {
  void shutdown.run(reason).then(() => process.exit(0));
};
process.once("SIGTERM", () => stop("SIGTERM"));
process.once("SIGINT", () => stop("SIGINT"));
